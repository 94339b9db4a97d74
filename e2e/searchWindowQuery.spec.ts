import { expect, test, type Page, type Request } from '@playwright/test';
import { clearAllMarks, openWithNotes, saveScreenshot, search } from './helpers.ts';

// Issue 15, items a-c and e: the query language, feedback labels, pins and hides. Named to run after
// searchWindow.spec.ts, whose first test adds the fixture folder to a window that has none.

const isCall = (request: Request, method: string): boolean => request.url().endsWith(`/api/${method}`);

test('labels feedback with the query whose results are painted, not the text typed since', async ({
  page,
}) => {
  await openWithNotes(page);
  await search(page, 'espresso grind ratio');
  await expect(page.getByTestId('results-area')).toHaveAttribute(
    'data-painted-query',
    'espresso grind ratio',
  );
  // Hold the new query's answer: the old results stay painted while the box holds the new text.
  let answer!: () => void;
  const held = new Promise<void>((resolve) => (answer = resolve));
  await page.route('**/api/search', async (route) => {
    await held;
    await route.continue();
  });
  const newSearchSent = page.waitForRequest(
    (request) => isCall(request, 'search') && request.postDataJSON()?.query === 'sourdough starter',
  );
  await page.getByTestId('search-input').fill('sourdough starter');
  await newSearchSent;

  const recorded = page.waitForRequest((request) => isCall(request, 'recordFeedback'));
  await page.getByTestId('result').first().getByTestId('feedback-up').click();
  expect((await recorded).postDataJSON()).toMatchObject({ query: 'espresso grind ratio', kind: 'up' });

  answer();
  await expect(page.getByTestId('results-area')).toHaveAttribute('data-painted-query', 'sourdough starter');
  await page.unroute('**/api/search');
});

/** Types a query and waits until the window has painted its outcome (results, empty or a problem). */
async function paint(page: Page, query: string): Promise<void> {
  await page.getByTestId('nav-search').click();
  await page.getByTestId('search-input').fill(query);
  await expect(page.getByTestId('results-area')).toHaveAttribute('data-painted-query', query);
}

test('an exact phrase returns only the notes holding it, shown as a chip', async ({ page }, testInfo) => {
  await openWithNotes(page);
  await paint(page, '"cold water"');
  await expect(page.getByTestId('result-title')).toHaveText(['Coffee brewing ratios']);
  await expect(page.getByTestId('query-chip')).toHaveText(['“cold water”']);
  await saveScreenshot(page, testInfo, 'query-phrase');
});

test('-word leaves out the notes holding it, and folder: takes the folder name', async ({ page }) => {
  await openWithNotes(page);
  await paint(page, 'water folder:notes');
  await expect(page.getByTestId('result-title').filter({ hasText: 'Coffee brewing ratios' })).toHaveCount(1);
  await paint(page, 'water folder:notes -coffee');
  await expect(page.getByTestId('result').first()).toBeVisible();
  await expect(page.getByTestId('result-title').filter({ hasText: 'Coffee brewing ratios' })).toHaveCount(0);
  await expect(page.getByTestId('query-chip')).toHaveText(['folder notes', 'not coffee']);
});

test('a bad operator says what is wrong with it instead of being ignored', async ({ page }, testInfo) => {
  await openWithNotes(page);
  const problem = page.getByTestId('query-problem');
  await paint(page, 'water after:notadate');
  await expect(problem).toContainText('after:notadate is not a date: write a day as YYYY-MM-DD');
  await saveScreenshot(page, testInfo, 'query-problem');
  await paint(page, 'water path:[');
  await expect(problem).toContainText('path:[ is not a path pattern we can use: a “[” is never closed');
  await paint(page, 'water folder:nope');
  await expect(problem).toContainText('No folder is named “nope”; your folders: folder:notes.');
});

test.describe('pins and hides', () => {
  test.afterEach(async ({ page }) => clearAllMarks(page));

  test('a hidden note is gone at once and after a reload, with Undo and a hidden-notes list', async ({
    page,
  }, testInfo) => {
    await openWithNotes(page);
    const piano = page.getByTestId('result').filter({ hasText: 'Piano practice routine' });
    await paint(page, 'piano practice routine');
    await piano.getByTestId('feedback-hide').click();
    await expect(piano).toHaveCount(0);
    await page.getByTestId('undo-hide').click();
    await expect(piano).toHaveCount(1);

    await piano.getByTestId('feedback-hide').click();
    await expect(page.getByTestId('hidden-note')).toHaveCount(1);
    await page.reload();
    await paint(page, 'piano practice routine');
    // With the piano note hidden nothing else matches (the relevance floor): an empty list is painted.
    await expect(page.getByTestId('empty-results').or(page.getByTestId('result').first())).toBeVisible();
    await expect(piano).toHaveCount(0);
    await page.getByTestId('hidden-notes').locator('summary').click();
    await expect(page.getByTestId('hidden-note')).toContainText('piano-practice.md');
    await saveScreenshot(page, testInfo, 'hidden-notes');
    await page.getByTestId('show-again').click();
    await expect(piano).toHaveCount(1);
    await expect(page.getByTestId('hidden-notes')).toHaveCount(0);
  });

  test('a pinned note ranks first for matching queries, also after a reload', async ({ page }) => {
    await openWithNotes(page);
    await paint(page, 'early morning');
    const titles = page.getByTestId('result-title');
    await expect(titles.nth(1)).toBeVisible();
    const second = (await titles.nth(1).textContent()) ?? '';
    const pinned = page.getByTestId('result').filter({ hasText: second });
    await pinned.getByTestId('feedback-pin').click();
    await expect(titles.first()).toHaveText(second);
    await page.reload();
    await paint(page, 'early morning');
    await expect(titles.first()).toHaveText(second);
    await expect(pinned.getByTestId('feedback-pin')).toHaveAttribute('aria-pressed', 'true');
  });
});
