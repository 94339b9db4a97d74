import { expect, test, type Request } from '@playwright/test';
import { clearAllMarks, openWithNotes, saveScreenshot } from './helpers.ts';

// Issue 15, keyboard and layout: from launch to a pinned note without the mouse. Named to run after
// searchWindow.spec.ts, whose first test adds the fixture folder to a window that has none.

const isCall = (request: Request, method: string): boolean => request.url().endsWith(`/api/${method}`);

test.afterEach(async ({ page }) => clearAllMarks(page));

test('searches, moves, previews, pins and opens in the editor from the keyboard', async ({
  page,
}, testInfo) => {
  await openWithNotes(page);
  await page.getByTestId('nav-jobs').click();
  const box = page.getByTestId('search-input');
  await page.keyboard.press('/');
  await expect(box).toBeFocused();

  await page.keyboard.type('water');
  const area = page.getByTestId('results-area');
  await expect(area).toHaveAttribute('data-painted-query', 'water');
  const results = page.getByTestId('result');
  await expect(results.nth(1)).toBeVisible();
  const count = await results.count();
  await expect(page.getByTestId('results-announcement')).toHaveText(`${count} results.`);

  await page.keyboard.press('ArrowDown');
  const second = results.nth(1);
  await expect(second).toHaveAttribute('aria-selected', 'true');
  await expect(box).toHaveAttribute('aria-activedescendant', 'result-1');
  const title = (await second.getByTestId('result-title').textContent()) ?? '';
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('preview-title')).toHaveText(title);
  await expect(page.getByTestId('preview-body')).toBeVisible();

  const pinned = page.waitForRequest((request) => isCall(request, 'recordFeedback'));
  await page.keyboard.press('Alt+P');
  expect((await pinned).postDataJSON()).toMatchObject({ query: 'water', kind: 'pin' });
  await expect(results.first().getByTestId('result-title')).toHaveText(title);
  await expect(results.first()).toHaveAttribute('aria-selected', 'true');
  await expect(results.first().getByTestId('feedback-pin')).toHaveAttribute('aria-pressed', 'true');
  await saveScreenshot(page, testInfo, 'keyboard-pinned');

  // Ctrl+Enter asks the app to open the active note; the answer is stubbed so no editor starts here.
  await page.route('**/api/openNote', (route) =>
    route.fulfill({
      json: { ok: true, value: { opened: true, path: '/notes/stub.md', opener: 'xdg-open' } },
    }),
  );
  const opened = page.waitForRequest((request) => isCall(request, 'openNote'));
  await page.keyboard.press('Control+Enter');
  expect((await opened).postDataJSON()).toMatchObject({ notePath: expect.stringMatching(/\.(md|txt)$/) });
  await page.unroute('**/api/openNote');
});

test('Alt+1…5 switch views and Ctrl+K comes back to the search box', async ({ page }) => {
  await openWithNotes(page);
  await page.keyboard.press('Alt+2');
  await expect(page.getByTestId('nav-folders')).toHaveAttribute('aria-current', 'page');
  await page.keyboard.press('Alt+3');
  await expect(page.getByTestId('nav-jobs')).toHaveAttribute('aria-current', 'page');
  await page.keyboard.press('Control+K');
  await expect(page.getByTestId('nav-search')).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('search-input')).toBeFocused();
});

test("the desktop app's OS-wide shortcut, Ctrl+Shift+Space, brings the page back to the search box", async ({
  page,
}) => {
  await openWithNotes(page);
  const box = page.getByTestId('search-input');
  // The help names it, and that only the desktop app hears it from other apps.
  await expect(box).toHaveAttribute(
    'title',
    /Ctrl\+Shift\+Space: the same; from any other app only in the desktop app/,
  );
  await page.keyboard.press('Control+K');
  await page.keyboard.type('water');
  await expect(page.getByTestId('results-area')).toHaveAttribute('data-painted-query', 'water');

  // From a text field in another view, where "/" would be typed: the box, its query selected.
  await page.getByTestId('nav-folders').click();
  const field = page.getByTestId('folder-path-input');
  await field.click();
  await expect(field).toBeFocused();
  await page.keyboard.press('Control+Shift+Space');
  await expect(page.getByTestId('nav-search')).toHaveAttribute('aria-current', 'page');
  await expect(box).toBeFocused();
  expect(await box.evaluate((input: HTMLInputElement) => [input.selectionStart, input.selectionEnd])).toEqual(
    [0, 'water'.length],
  );
});

test('Tab goes from the box to the results, and Esc clears, then closes, then leaves', async ({ page }) => {
  await openWithNotes(page);
  const box = page.getByTestId('search-input');
  await page.keyboard.press('Control+K');
  await expect(box).toBeFocused();
  await page.keyboard.type('water');
  await expect(page.getByTestId('results-area')).toHaveAttribute('data-painted-query', 'water');
  await expect(page.getByTestId('feedback-up').first()).toHaveAttribute('tabindex', '-1');

  await page.keyboard.press('Tab');
  const list = page.getByTestId('results');
  await expect(list).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(list).toHaveAttribute('aria-activedescendant', 'result-1');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('preview-body')).toBeVisible();

  await box.focus();
  await page.keyboard.press('Escape');
  await expect(box).toHaveValue('');
  await expect(page.getByTestId('preview')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('preview')).toBeHidden();
  await expect(box).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(box).not.toBeFocused();
});
