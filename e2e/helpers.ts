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

/** Adds `folder` on the Folders view and waits until it is listed. */
export async function addFolder(page: Page, folder: string): Promise<void> {
  await page.getByTestId('nav-folders').click();
  await page.getByTestId('folder-path-input').fill(folder);
  await page.getByTestId('add-folder').click();
  await expect(page.getByTestId('folder-root').filter({ hasText: folder })).toBeVisible();
}

export async function addFixtureFolder(page: Page): Promise<void> {
  await page.getByTestId('nav-folders').click();
  await page.getByTestId('folder-path-input').fill(fixtureNotes());
  await page.getByTestId('add-folder').click();
  await expect(page.getByTestId('folder-root')).toHaveText(fixtureNotes());
}

/**
 * Waits, on the Jobs view, for the fixture folder's own import to finish (the view follows the
 * server's job events). Other import-kind jobs (the startup index check) finish at once and do not
 * count; none of the folder's imports may still be queued or running.
 */
export async function waitForImport(page: Page): Promise<void> {
  await page.getByTestId('nav-jobs').click();
  const imports = page.locator('[data-testid="job-row"][data-job-kind="import"]', {
    hasText: `Import ${fixtureNotes()}`,
  });
  await expect(imports.and(page.locator('[data-job-state="finished"]')).first()).toBeVisible({
    timeout: 150_000,
  });
  await expect(
    imports.and(page.locator('[data-job-state="running"], [data-job-state="queued"]')),
  ).toHaveCount(0, { timeout: 150_000 });
}

/** Opens the window on the search view with the fixture notes indexed, importing them if no spec has. */
export async function openWithNotes(page: Page): Promise<void> {
  await openWindow(page);
  await page.getByTestId('nav-folders').click();
  const list = page.getByTestId('folder-list');
  await expect(list.or(page.getByTestId('status-empty'))).toBeVisible();
  // Another spec may have added the folder and left while its import still runs.
  if ((await page.getByTestId('folder-row').count()) === 0) await addFixtureFolder(page);
  await waitForImport(page);
  await page.getByTestId('nav-search').click();
}

export async function search(page: Page, query: string): Promise<void> {
  await page.getByTestId('nav-search').click();
  await page.getByTestId('search-input').fill(query);
  await expect(page.getByTestId('result').first()).toBeVisible();
}

/** Clears every pin and hide through the API, so no other spec meets a note this one marked. */
export async function clearAllMarks(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const headers = {
      'content-type': 'application/json',
      authorization: `Bearer ${sessionStorage.getItem('driftless.token') ?? ''}`,
    };
    const call = (method: string, args: unknown) =>
      fetch(`/api/${method}`, { method: 'POST', headers, body: JSON.stringify(args) }).then((r) => r.json());
    const listed = (await call('listMarks', {})) as { value: Array<{ folderId: string; notePath: string }> };
    for (const { folderId, notePath } of listed.value) await call('clearMark', { folderId, notePath });
  });
}
