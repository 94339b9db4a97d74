import { expect, test, type Locator, type Page } from '@playwright/test';
import { openWithNotes } from './helpers.ts';

// Issue 15, keyboard and layout: compact results, the summary clear of the box, readable disabled
// buttons, views that use the window's width, and options without controls for screen readers.
// Named to run after searchWindow.spec.ts, whose first test adds the fixture folder.

/** Words of thirteen fixture notes, so that more results match than a window shows. */
const MANY_NOTES =
  'sourdough bicycle coffee kubernetes piano rust tax tomato hiking bird meeting reading quokka';

/** Types a query and waits until the window has painted its outcome. */
async function paint(page: Page, query: string): Promise<void> {
  await page.getByTestId('nav-search').click();
  await page.getByTestId('search-input').fill(query);
  await expect(page.getByTestId('results-area')).toHaveAttribute('data-painted-query', query);
}

type Box = { x: number; y: number; width: number; height: number };

async function boxOf(locator: Locator): Promise<Box> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('The element has no box: it is not displayed.');
  return box;
}

const overlaps = (a: Box, b: Box): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

test('at least nine results fit an 800 px window, and one encoder version is not named on each', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openWithNotes(page);
  await paint(page, MANY_NOTES);
  const results = page.getByTestId('result');
  expect(await results.count()).toBeGreaterThanOrEqual(9);

  // Fully inside both the window and the results' scroll area: what is seen without scrolling.
  const area = await boxOf(page.getByTestId('results-area'));
  const bottom = Math.min(800, area.y + area.height);
  const boxes = await Promise.all((await results.all()).map(boxOf));
  expect(
    boxes.filter((box) => box.y >= area.y && box.y + box.height <= bottom).length,
  ).toBeGreaterThanOrEqual(9);
  // A result other than the active one (which shows more of its passage) is one short row of text.
  const second = await boxOf(results.nth(1));
  const titleHeight = (await boxOf(results.nth(1).getByTestId('result-title'))).height;
  expect(second.height).toBeLessThan(titleHeight * 4);

  // The badge names a result's version only when the results come from more than one.
  const versions = new Set(
    await results.evaluateAll((items) => items.map((item) => item.getAttribute('data-encoder-version'))),
  );
  expect([...versions].every((version) => /^v\d+$/.test(version ?? ''))).toBe(true);
  await expect(page.getByTestId('result-version')).toHaveCount(versions.size > 1 ? await results.count() : 0);
});

test('the result count sits clear of the query and its clear button while the preview is open', async ({
  page,
}) => {
  await page.setViewportSize({ width: 720, height: 520 });
  await openWithNotes(page);
  await paint(page, 'sourdough starter');
  await page.getByTestId('search-input').press('Enter');
  await expect(page.getByTestId('preview-body')).toBeVisible();
  const input = await boxOf(page.getByTestId('search-input'));
  const summary = await boxOf(page.getByTestId('search-summary'));
  expect(overlaps(input, summary)).toBe(false);
  // The box keeps its width for the query: no padding is reserved for text laid over it.
  const paddingRight = await page
    .getByTestId('search-input')
    .evaluate((box) => parseFloat(getComputedStyle(box).paddingRight));
  expect(paddingRight).toBeLessThan(input.width / 10);
});

test('a result option holds no controls for screen readers; its actions are its keys', async ({ page }) => {
  await openWithNotes(page);
  await paint(page, 'sourdough starter');
  const option = page.getByRole('option').first();
  await expect(option).toHaveAttribute('aria-keyshortcuts', /Alt\+P/);
  await expect(option.getByRole('button')).toHaveCount(0);
  // The buttons are still there for the mouse.
  await expect(page.getByTestId('result').first().getByTestId('feedback-pin')).toHaveCount(1);
});

/**
 * The WCAG contrast ratio of an element's text against what is painted behind it, with the
 * element's and its ancestors' opacity applied over the page's background.
 */
function textContrast(element: Element): number {
  const parse = (color: string): number[] => {
    const [r = 0, g = 0, b = 0, a = 1] = (color.match(/[\d.]+/g) ?? []).map(Number);
    return [r, g, b, a];
  };
  const over = (top: number[], under: number[], alpha = top[3]!): number[] =>
    [0, 1, 2].map((i) => top[i]! * alpha + under[i]! * (1 - alpha));
  const page = parse(getComputedStyle(document.body).backgroundColor);
  let opacity = 1;
  for (let node: Element | null = element; node; node = node.parentElement) {
    opacity *= Number(getComputedStyle(node).opacity);
  }
  const style = getComputedStyle(element);
  const background = over(parse(style.backgroundColor), page);
  const text = over(parse(style.color), background);
  const luminance = (rgb: number[]): number => {
    const [r, g, b] = over(rgb, page, opacity).map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const [light, dark] = [luminance(text), luminance(background)].sort((a, b) => b - a);
  return (light! + 0.05) / (dark! + 0.05);
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`a button disabled while focused keeps readable text (${colorScheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await openWithNotes(page);
    await page.getByTestId('nav-settings').click();
    // As when Save is pressed: the button keeps the focus and is disabled while the save runs.
    const save = page.getByTestId('settings-save');
    await save.focus();
    await save.evaluate((button) => button.setAttribute('disabled', ''));
    await expect(save).toBeDisabled();
    expect(await save.evaluate(textContrast)).toBeGreaterThanOrEqual(4.5);
  });
}

test('views other than search use the width of a wide window', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openWithNotes(page);
  for (const view of ['folders', 'jobs', 'versions', 'settings']) {
    await page.getByTestId(`nav-${view}`).click();
    const box = await boxOf(page.getByTestId(`${view}-view`));
    expect(box.width, view).toBeGreaterThan(1280 * 0.9);
  }
  // Settings puts the models beside the form instead of under it.
  const form = await boxOf(page.getByTestId('settings-form'));
  const privacy = await boxOf(page.getByTestId('privacy-statement'));
  const models = await boxOf(page.getByTestId('models-section'));
  expect(models.x).toBeGreaterThan(privacy.x + privacy.width);
  expect(models.y).toBeLessThan(form.y + form.height);
});
