import { expect, type Page, type TestInfo } from '@playwright/test';
import { fixtureNotes, serverUrl } from './server.ts';

/** Saves a screenshot of the current view under test-results/ and attaches it to the report. */
export async function saveScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

export async function openWindow(page: Page): Promise<void> {
  await page.goto(serverUrl());
  await expect(page.getByTestId('search-input')).toBeVisible();
}

export async function addFixtureFolder(page: Page): Promise<void> {
  await page.getByTestId('nav-folders').click();
  await page.getByTestId('folder-path-input').fill(fixtureNotes());
  await page.getByTestId('add-folder').click();
  await expect(page.getByTestId('folder-root')).toHaveText(fixtureNotes());
}

/** Waits, on the Jobs view, for an import job to finish (the view follows the server's job events). */
export async function waitForImport(page: Page): Promise<void> {
  await page.getByTestId('nav-jobs').click();
  const finishedImport = page.locator(
    '[data-testid="job-row"][data-job-kind="import"][data-job-state="finished"]',
  );
  await expect(finishedImport.first()).toBeVisible({ timeout: 150_000 });
}

/** Opens the window with the fixture notes indexed, importing them first if no spec has yet. */
export async function openWithNotes(page: Page): Promise<void> {
  await openWindow(page);
  await page.getByTestId('nav-folders').click();
  const list = page.getByTestId('folder-list');
  await expect(list.or(page.getByTestId('status-empty'))).toBeVisible();
  if ((await page.getByTestId('folder-row').count()) === 0) {
    await addFixtureFolder(page);
    await waitForImport(page);
  }
}

export async function search(page: Page, query: string): Promise<void> {
  await page.getByTestId('nav-search').click();
  await page.getByTestId('search-input').fill(query);
  await expect(page.getByTestId('result').first()).toBeVisible();
}
