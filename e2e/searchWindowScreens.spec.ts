import { expect, test, type Page } from '@playwright/test';
import { openWithNotes, saveScreenshot } from './helpers.ts';

// Issue 15, screenshots goal: every view at 1280×800 and at 720×520, light and dark, each saved with
// saveScreenshot (test-results/<this test>/<size>-<scheme>-<view>.png) and checked for what a person
// would see as broken: a sideways scrollbar, or the query box or the first result out of sight.
// Named to run after searchWindow.spec.ts, whose first test adds the fixture folder.

const SIZES = [
  { width: 1280, height: 800 },
  { width: 720, height: 520 },
] as const;

/** Nothing is wider than the window: neither the page nor the scroll area of the views. */
async function expectNoSidewaysScroll(page: Page, view: string): Promise<void> {
  const widths = await page.evaluate(() =>
    [document.scrollingElement, document.querySelector('main')].map((element) => ({
      scroll: element?.scrollWidth ?? 0,
      client: element?.clientWidth ?? 0,
    })),
  );
  for (const { scroll, client } of widths)
    expect(scroll, `${view} is wider than the window`).toBeLessThanOrEqual(client);
}

for (const size of SIZES) {
  for (const colorScheme of ['light', 'dark'] as const) {
    test(`every view at ${size.width}×${size.height}, ${colorScheme}`, async ({ page }, testInfo) => {
      await page.setViewportSize(size);
      await page.emulateMedia({ colorScheme });
      await openWithNotes(page);
      const shot = async (view: string) => {
        await expectNoSidewaysScroll(page, view);
        await saveScreenshot(page, testInfo, `${size.width}x${size.height}-${colorScheme}-${view}`);
      };
      const box = page.getByTestId('search-input');

      // The empty state: the search view before anything is typed.
      await box.fill('');
      await expect(page.getByTestId('empty-search')).toBeVisible();
      await expect(box).toBeInViewport();
      await shot('empty');

      await box.fill('sourdough starter');
      await expect(page.getByTestId('results-area')).toHaveAttribute(
        'data-painted-query',
        'sourdough starter',
      );
      const first = page.getByTestId('result').first();
      await expect(box).toBeInViewport();
      await expect(first).toBeInViewport();
      await shot('search');

      await box.press('Enter');
      await expect(page.getByTestId('preview-body')).toBeVisible();
      await expect(box).toBeInViewport();
      await expect(first).toBeInViewport();
      await expect(page.getByTestId('preview-title')).toBeInViewport();
      await shot('search-preview');

      // Each view once its content has come: a folder, a job, a version, the settings form.
      const loaded = {
        folders: 'folder-row',
        jobs: 'job-row',
        versions: 'version-row',
        settings: 'settings-form',
      };
      for (const [view, content] of Object.entries(loaded)) {
        await page.getByTestId(`nav-${view}`).click();
        await expect(page.getByTestId(`${view}-view`).getByTestId(content).first()).toBeVisible();
        await shot(view);
      }
    });
  }
}
