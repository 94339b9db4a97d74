import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, type Page, type Worker, test } from '@playwright/test';
import { addFolder, openWithNotes } from './helpers.ts';

// Issue 16: a long Markdown note renders in a Web Worker (a 200 KiB note froze the window for about
// a second), a short one still on the page. This file adds a folder, so it runs after the specs
// that expect the fixtures alone (alphabetical order).

const SECTIONS = 120;

/** A lighthouse almanac of about 100 KiB: a heading, a list and a table in each section. */
function almanac(): string {
  const sections = Array.from({ length: SECTIONS }, (_, s) => {
    const log = `The keeper logged the *lamp* and the **fog bell** on watch ${s}; gull${s} seen. `;
    return [
      `## Watch ${s}`,
      log.repeat(10),
      `- wick trimmed at ${s}:00\n- oil ${s} litres\n- glass polished`,
      `| Hour | Wind |\n| --- | --- |\n| ${s} | north-west |`,
    ].join('\n\n');
  });
  return ['# Lighthouse almanac', 'Kept by the fulmarine keepers.', ...sections].join('\n\n') + '\n';
}

/** Waits on the Jobs view until the import of `folder` has finished. */
async function waitForFolderImport(page: Page, folder: string): Promise<void> {
  await page.getByTestId('nav-jobs').click();
  const imports = page.locator('[data-testid="job-row"][data-job-kind="import"]', {
    hasText: `Import ${folder}`,
  });
  await expect(imports.and(page.locator('[data-job-state="finished"]')).first()).toBeVisible({
    timeout: 150_000,
  });
  await expect(
    imports.and(page.locator('[data-job-state="running"], [data-job-state="queued"]')),
  ).toHaveCount(0, {
    timeout: 150_000,
  });
}

async function openResult(page: Page, query: string, title: string): Promise<void> {
  await page.getByTestId('nav-search').click();
  await page.getByTestId('search-input').fill(query);
  await page.getByTestId('result').filter({ hasText: title }).first().click();
}

test('renders a long Markdown note in a worker and a short one on the page', async ({ page, context }) => {
  const notes = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-e2e-worker-'));
  const long = almanac();
  expect(long.length).toBeGreaterThan(100_000);
  await fs.writeFile(path.join(notes, 'almanac.md'), long);
  await fs.writeFile(
    path.join(notes, 'skerry.md'),
    '# Skerry chart\n\nQuillwort grows by the *north* landing.\n',
  );
  const workers: Worker[] = [];
  page.on('worker', (worker) => workers.push(worker));
  try {
    await openWithNotes(page);
    await addFolder(page, notes);
    await waitForFolderImport(page, notes);
    const body = page.getByTestId('preview-body');

    // A short note renders on the page: rendered markup, and no worker started for it.
    await openResult(page, 'quillwort', 'Skerry chart');
    await expect(body.locator('h1')).toHaveText('Skerry chart');
    await expect(body.locator('em')).toHaveText('north');
    expect(workers).toHaveLength(0);

    // The long one starts the worker, and its rendering is sanitised and shown whole, not as text.
    const workerStarted = page.waitForEvent('worker');
    await openResult(page, 'fulmarine', 'Lighthouse almanac');
    await workerStarted;
    await expect(body.locator('h1')).toHaveText('Lighthouse almanac');
    await expect(body.locator('h2')).toHaveCount(SECTIONS);
    await expect(body.locator('table')).toHaveCount(SECTIONS);
    await expect(body.locator('h2').last()).toHaveText(`Watch ${SECTIONS - 1}`);
    await expect(body.locator('pre.plain-note')).toHaveCount(0);
    await expect(page.getByTestId('preview-notice')).toHaveCount(0);

    // Back to the short note and on to the long one again: the one worker serves it again.
    await openResult(page, 'quillwort', 'Skerry chart');
    await expect(body.locator('h1')).toHaveText('Skerry chart');
    await openResult(page, 'fulmarine', 'Lighthouse almanac');
    await expect(body.locator('h2')).toHaveCount(SECTIONS);
    expect(workers).toHaveLength(1);

    // A worker that cannot start leaves the note readable: its text, with a notice, never a blank pane.
    const broken = await context.newPage();
    await broken.route('**/markdown.worker-*.js', (route) => route.abort());
    await openWithNotes(broken);
    await openResult(broken, 'fulmarine', 'Lighthouse almanac');
    await expect(broken.getByTestId('preview-notice')).toHaveText(
      'This note could not be rendered: shown as plain text.',
    );
    await expect(broken.getByTestId('preview-body').locator('pre.plain-note')).toContainText('## Watch 119');
  } finally {
    await fs.rm(notes, { recursive: true, force: true });
  }
});
