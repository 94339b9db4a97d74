import { expect, test, type Locator, type Page } from '@playwright/test';
import { openWithNotes, saveScreenshot, search } from './helpers.ts';

// A real adaptation run from the window: training (tiny, see serveForTests.ts), compensator fit, gate,
// publish, anchors kept; then the notes are found in the new version, and rollback is one click.
// This file runs after searchWindow.spec.ts (alphabetical order), whose first spec needs an empty data
// folder; run on its own it imports the fixture notes itself.

const ENDED = /^(finished|failed)$/;

function versionRow(page: Page, version: string): Locator {
  return page.locator(`[data-testid="version-row"][data-version="${version}"]`);
}

test('adapts from the Versions view, keeps old notes findable and rolls back', async ({ page }, testInfo) => {
  await openWithNotes(page);
  await page.getByTestId('nav-versions').click();
  await expect(versionRow(page, 'v0').getByTestId('version-current')).toBeVisible();
  await page.getByTestId('adapt-now').click();

  // The Jobs view follows the run live: its progress bar shows while it trains, then it ends.
  await page.getByTestId('nav-jobs').click();
  const adaptJob = page.locator('[data-testid="job-row"][data-job-kind="adapt"]').first();
  await expect(adaptJob.getByTestId('job-progress')).toBeVisible();
  await expect(adaptJob).toHaveAttribute('data-job-state', ENDED, { timeout: 150_000 });
  await saveScreenshot(page, testInfo, 'jobs-adaptation');

  await expect(adaptJob).toHaveAttribute('data-job-state', 'finished');
  await page.getByTestId('nav-versions').click();
  const v1 = versionRow(page, 'v1');
  await expect(v1.getByTestId('version-current')).toBeVisible();
  await expect(v1.getByTestId('version-compensator')).toHaveText(/\S/);
  // How many steps the training time budget let it run, and why; the pretrained v0 was not trained.
  await expect(v1.getByTestId('version-step-plan')).toHaveText(/^Trained 2 of 2 steps: 2 steps, .+ on \w+/);
  await expect(versionRow(page, 'v0').getByTestId('version-step-plan')).toHaveCount(0);
  await expect(page.getByTestId('adapt-state')).toHaveText('finished');
  await saveScreenshot(page, testInfo, 'versions-adapted');

  // The fixture fits in the anchor budget (serveForTests.ts): adoption kept the anchors' new
  // vectors, so every note is now v1's (a larger vault keeps the rest in v0 until backfill, searched
  // through maps).
  await search(page, 'sourdough starter');
  const first = page.getByTestId('result').first();
  await expect(first.getByTestId('result-title')).toContainText('Sourdough');
  await expect(first).toHaveAttribute('data-encoder-version', 'v1');

  await page.getByTestId('nav-versions').click();
  await versionRow(page, 'v0').getByTestId('version-rollback').click();
  await expect(versionRow(page, 'v0').getByTestId('version-current')).toBeVisible();
  await expect(v1.getByTestId('version-current')).toHaveCount(0);
  await saveScreenshot(page, testInfo, 'versions-rolled-back');
});
