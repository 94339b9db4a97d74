import { expect, test } from '@playwright/test';
import { openWindow, openWithNotes, saveScreenshot, search, waitForImport } from './helpers.ts';
import { LIST_DEPTH, TABLE_ROWS } from './hostileNotes.ts';
import { fixtureNotes } from './server.ts';

// The specs share one server and data folder. The first spec adds the fixture folder through the UI;
// the others add it themselves only when run on their own, so one failure does not cascade.

test('adds the fixture folder and follows its import job to the end', async ({ page }, testInfo) => {
  await openWindow(page);
  await expect(page.getByTestId('empty-no-folders')).toBeVisible();

  // The empty window's button leads to the Folders view with the cursor in the path field.
  await page.getByTestId('empty-no-folders').getByRole('button', { name: 'Add a folder' }).click();
  await expect(page.getByTestId('folder-path-input')).toBeFocused();
  await page.getByTestId('folder-path-input').fill(fixtureNotes());
  await page.getByTestId('add-folder').click();
  await expect(page.getByTestId('folder-root')).toHaveText(fixtureNotes());

  await waitForImport(page);
  await saveScreenshot(page, testInfo, 'jobs');

  await page.getByTestId('nav-folders').click();
  await expect(page.getByTestId('folder-notes')).not.toHaveText('0');
  await page.getByTestId('folder-report').click();
  await expect(page.getByTestId('import-report')).toBeVisible();
  await saveScreenshot(page, testInfo, 'folders');
});

test('finds notes by meaning and words, with highlighted snippets', async ({ page }, testInfo) => {
  await openWithNotes(page);
  await search(page, 'sourdough starter');
  const first = page.getByTestId('result').first();
  await expect(first.getByTestId('result-title')).toContainText('Sourdough');
  await expect(page.getByTestId('result-snippet').locator('mark').first()).toBeVisible();
  // Every result knows its encoder version; the badge shows it only when several are on screen.
  await expect(first).toHaveAttribute('data-encoder-version', /^v\d+$/);
  await saveScreenshot(page, testInfo, 'search');
});

test('opens results from the keyboard and clears with Escape', async ({ page }) => {
  await openWithNotes(page);
  await search(page, 'kubernetes pods pending');
  const input = page.getByTestId('search-input');
  await input.press('ArrowDown');
  await input.press('ArrowUp');
  await input.press('Enter');
  await expect(page.getByTestId('preview-body')).toBeVisible();
  await input.press('Escape');
  await expect(input).toHaveValue('');
  // The first Esc empties the box and keeps the note on screen; the second closes it.
  await input.press('Escape');
  await expect(page.getByTestId('preview')).toBeHidden();
});

test('previews the hostile note without running any of its scripts', async ({ page }, testInfo) => {
  await openWithNotes(page);
  await search(page, 'quokka marsupial habitat');
  await page.getByTestId('result').filter({ hasText: 'Quokka' }).first().click();
  const body = page.getByTestId('preview-body');
  await expect(body).toContainText('Quokkas shelter in dense scrub');
  await expect(body.locator('.matched')).toContainText(/Habitat|Quokkas shelter/);

  expect(await page.evaluate(() => (window as { pwned?: unknown }).pwned)).toBeUndefined();
  await expect(body.locator('script, iframe, object, embed')).toHaveCount(0);
  await expect(body.locator('[onerror], [onload], [onclick], [style]')).toHaveCount(0);
  const hrefs = await body
    .locator('a[href]')
    .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  expect(hrefs.filter((href) => /^\s*javascript:/i.test(href ?? ''))).toEqual([]);
  await saveScreenshot(page, testInfo, 'preview-hostile');
});

test('previews a 50 MB line, a huge table and a deep list without freezing the window', async ({
  page,
}, testInfo) => {
  await openWithNotes(page);
  // The window must keep answering after each preview: the next search still paints its results.
  const stillResponsive = async () => {
    await search(page, 'sourdough starter');
    await expect(page.getByTestId('result').first()).toContainText('Sourdough');
  };
  const preview = async (query: string, title: string) => {
    await search(page, query);
    await page.getByTestId('result').filter({ hasText: title }).first().click();
    return page.getByTestId('preview-body');
  };

  const line = await preview('kangaroo telemetry burst', 'Huge line log');
  // An excerpt around the matched chunk (every chunk of this note is the same text, so any may match).
  await expect(page.getByTestId('preview-notice')).toContainText(/characters [\d,]+–[\d,]+ of 52,428,/);
  await expect(line).toContainText('kangaroo telemetry burst');
  await expect(line.locator('pre')).toHaveCount(1);
  await saveScreenshot(page, testInfo, 'preview-huge-line');
  await stillResponsive();

  const table = await preview('wombat ledger table', 'Wombat ledger');
  await expect(table.locator('table tbody tr')).toHaveCount(TABLE_ROWS);
  await expect(page.getByTestId('preview-notice')).toHaveCount(0);
  await stillResponsive();

  const list = await preview('matryoshka dolls nested', 'Matryoshka');
  await expect(page.getByTestId('preview-notice')).toContainText(`${LIST_DEPTH - 1} levels deep`);
  await expect(list).toContainText(`matryoshka level ${LIST_DEPTH - 1}`);
  await expect(list.locator('ul')).toHaveCount(0);
  await stillResponsive();

  expect(await page.evaluate(() => (window as { pwned?: unknown }).pwned)).toBeUndefined();
  await page.getByTestId('nav-folders').click();
  await page.getByTestId('folder-report').click();
  await expect(page.getByTestId('import-report')).toContainText('huge-line.md');
});

test('records feedback on a result', async ({ page }) => {
  await openWithNotes(page);
  await search(page, 'espresso grind ratio');
  const first = page.getByTestId('result').first();
  const recorded = page.waitForResponse((response) => response.url().endsWith('/api/recordFeedback'));
  await first.getByTestId('feedback-up').click();
  expect(await (await recorded).json()).toEqual({ ok: true, value: { recorded: true } });
  await expect(first.getByTestId('feedback-up')).toHaveAttribute('aria-pressed', 'true');
});

test('shows encoder versions and settings with the privacy statement', async ({ page }, testInfo) => {
  await openWithNotes(page);
  await page.getByTestId('nav-versions').click();
  await expect(page.getByTestId('version-row').first()).toBeVisible();
  await saveScreenshot(page, testInfo, 'versions');

  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('privacy-statement')).toContainText('Nothing leaves this computer');
  await expect(page.getByTestId('engine-encoder')).toContainText('onnxruntime');
  await expect(page.getByTestId('engine-training')).not.toBeEmpty();
  await expect(page.getByTestId('settings-form')).toBeVisible();
  await saveScreenshot(page, testInfo, 'settings');
});

test('follows the system colour scheme, and the theme setting overrides it', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await openWithNotes(page);
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await expect.poll(background).toBe('rgb(21, 23, 27)');
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('setting-theme').selectOption('light');
  await page.getByTestId('settings-save').click();
  await expect.poll(background).toBe('rgb(247, 247, 245)');
  await page.getByTestId('setting-theme').selectOption('system');
  await page.getByTestId('settings-save').click();
  await expect.poll(background).toBe('rgb(21, 23, 27)');
});

test('searches in the mode picked, and remembers it after a reload', async ({ page }) => {
  await openWithNotes(page);
  await expect(page.getByTestId('search-mode-hybrid')).toHaveAttribute('aria-checked', 'true');
  await page.getByTestId('search-mode-text').click();
  await expect(page.getByTestId('search-mode-text')).toHaveAttribute('aria-checked', 'true');
  // Text mode finds only notes with the words: a query of words no note has finds nothing.
  await page.getByTestId('search-input').fill('zyxwvut qqqq');
  await expect(page.getByTestId('empty-results')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('search-mode-text')).toHaveAttribute('aria-checked', 'true');
  await page.getByTestId('search-mode-hybrid').click();
  await expect(page.getByTestId('search-mode-hybrid')).toHaveAttribute('aria-checked', 'true');
});
