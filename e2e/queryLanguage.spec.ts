import { expect, test, type Request } from '@playwright/test';
import { openWithNotes, search } from './helpers.ts';

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
