import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { acquireWriterLock } from '../core/jobs/writerLock.ts';
import { openWindow, openWithNotes } from './helpers.ts';
import { startServe } from './serverProcess.ts';

// Issue 15, folders, jobs and errors: a folder's import shows in its row, a cancelled paused import
// stays cancelled, paths are completed and expanded, settings errors sit beside their fields, and
// "open in editor" says where the note went. Named to run after searchWindow.spec.ts, whose first
// test expects a window without folders.

const NOTES = 200; // more than three import batches of 64

/** Records every text the row of the folder at `root` shows, so a state painted for a moment is kept. */
async function recordFolderRow(page: Page, root: string): Promise<void> {
  await page.evaluate((folderRoot) => {
    const seen: { imports: string[]; notes: string[] } = { imports: [], notes: [] };
    Object.assign(window, { folderRowsSeen: seen });
    const keep = (list: string[], node: Element | null | undefined) => {
      const text = node?.textContent;
      if (text && list.at(-1) !== text) list.push(text);
    };
    const read = () => {
      const row = [...document.querySelectorAll('[data-testid="folder-row"]')].find(
        (candidate) => candidate.querySelector('[data-testid="folder-root"]')?.textContent === folderRoot,
      );
      keep(seen.imports, row?.querySelector('[data-testid="folder-import-text"]'));
      keep(seen.notes, row?.querySelector('[data-testid="folder-notes"]'));
    };
    new MutationObserver(read).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  }, root);
}

test('a folder row shows its import live, and a cancelled paused import stays cancelled', async ({
  page,
}) => {
  const base = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-e2e-folders-')));
  const journal = path.join(base, 'journal');
  await fs.mkdir(journal);
  await fs.mkdir(path.join(base, 'journal-archive'));
  await fs.writeFile(path.join(base, 'journal.md'), 'a file beside the folders, never suggested');
  for (let i = 0; i < NOTES; i++)
    await fs.writeFile(path.join(journal, `day ${i}.md`), `# Day ${i}\n\nWalked ${i} km along the river.\n`);
  // Its own server and data folder: importing 200 notes into the suite's shared one would have the
  // app choose its hybrid fusion again from them, and later specs would search with that choice.
  const dataDir = path.join(base, 'data');
  const server = await startServe('e2e/serveForTests.ts', dataDir);
  await page.goto(server.url);
  await expect(page.getByTestId('search-input')).toBeVisible();
  // While this test holds the writer lock, the import waits at its start: running, paused, cancelled.
  let lock: Awaited<ReturnType<typeof acquireWriterLock>> | undefined = await acquireWriterLock(
    path.join(dataDir, 'writer.lock'),
    'the e2e test',
  );
  try {
    await page.getByTestId('nav-folders').click();
    await recordFolderRow(page, journal);
    const input = page.getByTestId('folder-path-input');
    await input.fill(`${base}/jour`);
    const options = page.getByTestId('folder-suggestions').locator('option');
    await expect(options).toHaveCount(2);
    expect(
      await options.evaluateAll((nodes) => nodes.map((node) => (node as HTMLOptionElement).value)),
    ).toEqual([journal, path.join(base, 'journal-archive')]);

    await input.fill(journal);
    await page.getByTestId('add-folder').click();
    await expect(page.getByTestId('folder-added')).toHaveText(`Added ${journal}.`);
    const row = page.getByTestId('folder-row').filter({ hasText: journal });
    // Who holds the lock: this test's process, what it said it does, since when.
    await expect(row.getByTestId('folder-import-text')).toHaveText(
      new RegExp(
        `^Importing: waiting for another Driftless process \\(pid ${process.pid}, the e2e test, holding since [\\d: -]+\\) to finish writing$`,
      ),
    );
    await expect(row.getByTestId('folder-import-progress')).toBeVisible();

    await page.getByTestId('nav-jobs').click();
    const job = page.locator('[data-testid="job-row"]', { hasText: `Import ${journal}` });
    await job.getByTestId('job-pause').click();
    await expect(job).toHaveAttribute('data-job-state', 'paused');
    await job.getByTestId('job-cancel').click();
    await expect(job).toHaveAttribute('data-job-state', 'cancelled');
    await expect(job.getByTestId('job-state')).toHaveText('cancelled');

    await lock.release();
    lock = undefined;
    await page.getByTestId('nav-folders').click();
    await expect(row.getByTestId('folder-import')).toHaveCount(0);
    await row.getByTestId('folder-rescan').click();
    await expect(row.getByTestId('folder-notes')).toHaveText(String(NOTES), { timeout: 150_000 });
    await expect(row.getByTestId('folder-import')).toHaveCount(0);

    const seen = await page.evaluate(
      () => (window as unknown as { folderRowsSeen: { imports: string[]; notes: string[] } }).folderRowsSeen,
    );
    const midway = (pattern: RegExp, texts: string[]) =>
      texts.map((text) => Number(pattern.exec(text)?.[1])).filter((n) => n > 0 && n < NOTES);
    // The row counted notes while the import ran, not only 0 and then all of them.
    expect(midway(new RegExp(`^Importing: (\\d+) of ${NOTES} notes read`), seen.imports)).not.toEqual([]);
    expect(midway(/^(\d+)$/, seen.notes)).not.toEqual([]);

    await row.getByTestId('folder-remove').click();
    await row.getByTestId('folder-remove-confirm').click();
    await expect(row).toHaveCount(0);
  } finally {
    await lock?.release();
    await server.stop();
    await fs.rm(base, { recursive: true, force: true });
  }
});

test('~ and relative folder paths are read from the home folder, and the window says so', async ({
  page,
}) => {
  await openWindow(page);
  await page.getByTestId('nav-folders').click();
  const input = page.getByTestId('folder-path-input');
  const home = os.homedir();
  await input.fill('~/');
  await expect(page.getByTestId('folder-path-means')).toHaveText(`That is ${home}`);
  await input.fill('no-such-folder-here');
  const missing = path.join(home, 'no-such-folder-here');
  await expect(page.getByTestId('folder-path-means')).toHaveText(
    `A relative path is read from your home folder: ${missing}`,
  );
  await page.getByTestId('add-folder').click();
  await expect(page.getByTestId('folder-error')).toHaveText(
    `There is no folder at ${missing} (a relative path is read from your home folder, ${home}).`,
  );
});

test('settings name a blank or refused number beside its field, and confirm a save', async ({ page }) => {
  await openWindow(page);
  await page.getByTestId('nav-settings').click();
  const indexed = page.getByTestId('setting-indexed-chars');
  const before = await indexed.inputValue();
  // Saved as it was: a smaller size limit would drop the large fixture notes for later specs.
  const maxFileMb = await page.getByTestId('setting-max-file-mb').inputValue();
  let saves = 0;
  page.on('request', (request) => void (request.url().endsWith('/api/updateSettings') && saves++));

  await page.getByTestId('setting-max-file-mb').fill('');
  await page.getByTestId('settings-save').click();
  const fieldError = (field: string) => page.locator(`[data-testid="setting-error"][data-field="${field}"]`);
  await expect(fieldError('maxFileBytes')).toHaveText('Enter a number.');
  await expect(page.getByTestId('setting-max-file-mb')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('settings-error')).toHaveText('Not saved: correct the field marked above.');
  expect(saves).toBe(0);

  await page.getByTestId('setting-max-file-mb').fill('10');
  await indexed.fill('2000000');
  const refused = page.waitForResponse((response) => response.url().endsWith('/api/updateSettings'));
  await page.getByTestId('settings-save').click();
  await refused;
  await expect(fieldError('maxIndexedChars')).toHaveText(
    'The characters of a note made searchable must be at most 1000000000.',
  );
  await expect(fieldError('maxFileBytes')).toHaveCount(0);
  await expect(page.getByTestId('settings-saved')).toHaveText('');

  await indexed.fill(before);
  await page.getByTestId('setting-max-file-mb').fill(maxFileMb);
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-saved')).toHaveText('Saved.');
  await expect(page.getByTestId('setting-error')).toHaveCount(0);
});

test('settings take a training time budget from 5 to 240 minutes, refusing others beside the field', async ({
  page,
}) => {
  await openWindow(page);
  await page.getByTestId('nav-settings').click();
  const minutes = page.getByTestId('setting-training-minutes');
  await expect(minutes).toHaveValue('20');
  let saves = 0;
  page.on('request', (request) => void (request.url().endsWith('/api/updateSettings') && saves++));
  const fieldError = page.locator('[data-testid="setting-error"][data-field="adaptation.trainingMinutes"]');

  const refused: Array<[string, string]> = [
    ['500', 'Enter at most 240 minutes.'],
    ['3', 'Enter 5 minutes or more.'],
  ];
  for (const [typed, problem] of refused) {
    await minutes.fill(typed);
    await page.getByTestId('settings-save').click();
    await expect(fieldError).toHaveText(problem);
    await expect(minutes).toHaveAttribute('aria-invalid', 'true');
  }
  expect(saves).toBe(0);

  await minutes.fill('45');
  const saved = page.waitForResponse((response) => response.url().endsWith('/api/updateSettings'));
  await page.getByTestId('settings-save').click();
  expect(await (await saved).json()).toMatchObject({
    ok: true,
    value: { adaptation: { trainingMinutes: 45 } },
  });
  await expect(page.getByTestId('settings-saved')).toHaveText('Saved.');
  await page.reload();
  await page.getByTestId('nav-settings').click();
  await expect(minutes).toHaveValue('45');
  // Back to the default for the specs after this one.
  await minutes.fill('20');
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-saved')).toHaveText('Saved.');
});

test('open in editor says where the note went and copies its path', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openWithNotes(page);
  await page.getByTestId('search-input').fill('water');
  await expect(page.getByTestId('result').first()).toBeVisible();
  await page.getByTestId('result').first().click();
  // The answer is stubbed so that no editor starts on the machine running the tests.
  const file = '/home/someone/notes/water.md';
  await page.route('**/api/openNote', (route) =>
    route.fulfill({ json: { ok: true, value: { opened: true, path: file, opener: 'xdg-open' } } }),
  );
  await page.getByTestId('search-input').press('Control+Enter');
  const notice = page.getByTestId('open-notice');
  await expect(notice).toContainText('Asked xdg-open to open this note on the computer running Driftless.');
  await expect(page.getByTestId('open-notice-path')).toHaveText(file);
  await page.getByTestId('copy-note-path').click();
  await expect(page.getByTestId('copy-note-path-done')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(file);

  await page.route('**/api/openNote', (route) =>
    route.fulfill({ json: { ok: true, value: { opened: false, path: file, opener: 'xdg-open' } } }),
  );
  await page.getByTestId('search-input').press('Control+Enter');
  await expect(notice).toHaveAttribute('data-opened', 'false');
  await expect(notice).toContainText('xdg-open could not open this note');
  await page.unroute('**/api/openNote');
});
