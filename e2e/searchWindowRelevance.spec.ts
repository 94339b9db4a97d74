import { expect, test, type Page } from '@playwright/test';
import { openWithNotes, saveScreenshot } from './helpers.ts';

// Issue 15, relevance floor: the results are the notes that match; loosely related ones stand apart.
// Named to run after searchWindow.spec.ts, whose first test adds the fixture folder.

/** Types a query and waits until the window has painted its outcome. */
async function paint(page: Page, query: string): Promise<void> {
  await page.getByTestId('nav-search').click();
  await page.getByTestId('search-input').fill(query);
  await expect(page.getByTestId('results-area')).toHaveAttribute('data-painted-query', query);
}

test('a nonsense query finds nothing instead of a full page of notes', async ({ page }, testInfo) => {
  await openWithNotes(page);
  await paint(page, 'zzzzqqqxxy');
  await expect(page.getByTestId('empty-results')).toBeVisible();
  await expect(page.getByTestId('result')).toHaveCount(0);
  await expect(page.getByTestId('search-summary')).toContainText('No results');
  await expect(page.getByTestId('results-announcement')).toHaveText('No results.');
  await saveScreenshot(page, testInfo, 'nonsense-query');
});

test('notes that do not match are not listed as results', async ({ page }, testInfo) => {
  await openWithNotes(page);
  await paint(page, 'sourdough starter');
  const titles = page.getByTestId('result').getByTestId('result-title');
  await expect(titles.first()).toContainText('Sourdough');
  await expect(titles.filter({ hasText: /Bicycle|Coffee|Kubernetes|Tax/ })).toHaveCount(0);
  const count = await titles.count();
  await expect(page.getByTestId('search-summary')).toContainText(`${count} result`);
  // The loosely related notes stand apart, and the arrow keys reach them after the results.
  const related = page.getByTestId('related-section').getByTestId('related');
  await expect(related.first()).toBeVisible();
  await expect(related.getByTestId('result-title').filter({ hasText: 'Sourdough' })).toHaveCount(0);
  for (let i = 0; i < count; i++) await page.getByTestId('search-input').press('ArrowDown');
  await expect(related.first()).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('search-input')).toHaveAttribute('aria-activedescendant', 'related-0');
  await saveScreenshot(page, testInfo, 'matches-and-related');
});

test('the query words a snippet marks leave out question words and other stop words', async ({ page }) => {
  await openWithNotes(page);
  await paint(page, 'what did the starter do within six hours');
  const sourdough = page.getByTestId('result').filter({ hasText: 'Sourdough bread' });
  const snippet = sourdough.getByTestId('result-snippet');
  await expect(snippet).toContainText('within six hours');
  const marks = (await snippet.locator('mark').allTextContents()).map((text) => text.toLowerCase());
  expect(marks).toContain('starter');
  expect(marks).toContain('hours');
  expect(marks.filter((word) => ['what', 'did', 'the', 'do', 'within'].includes(word))).toEqual([]);
});
