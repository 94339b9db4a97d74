import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { addFolder, openWindow } from './helpers.ts';

// Issue 15, item d: after:/before: and the date a result shows are the note's own date (front
// matter, else a day in the file name), not the day the files were copied. Named to run after
// searchWindow.spec.ts, whose first test expects a window with no folders.

const NOTES: Record<string, string> = {
  '2023-05-08 session 01.md': '# Session one\n\nWe sailed past the Zanzibar lighthouse at dawn.\n',
  'planned.md': '---\ndate: 2021-03-04\n---\n# Planned trip\n\nA plan to visit the Zanzibar lighthouse.\n',
  'undated.md': '# Undated\n\nSomeone mentioned the Zanzibar lighthouse again.\n',
};

async function addFolderAndWait(page: Page, notes: string): Promise<void> {
  await addFolder(page, notes);
  await page.getByTestId('nav-jobs').click();
  const imported = page.locator('[data-testid="job-row"][data-job-state="finished"]', {
    hasText: `Import ${notes}`,
  });
  await expect(imported.first()).toBeVisible({ timeout: 120_000 });
}

async function paint(page: Page, query: string): Promise<void> {
  await page.getByTestId('nav-search').click();
  await page.getByTestId('search-input').fill(query);
  await expect(page.getByTestId('results-area')).toHaveAttribute('data-painted-query', query);
}

const localDay = (page: Page, year: number, month: number, day: number) =>
  page.evaluate(
    ([y, m, d]) =>
      new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(new Date(y!, m! - 1, d)),
    [year, month, day],
  );

test('date filters and result dates use the note’s own date', async ({ page }) => {
  const notes = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-e2e-dates-'));
  for (const [name, text] of Object.entries(NOTES)) await fs.writeFile(path.join(notes, name), text);
  try {
    await openWindow(page);
    await addFolderAndWait(page, notes);
    const results = page.getByTestId('result');
    const dateOf = (title: string) => results.filter({ hasText: title }).getByTestId('result-date');

    await paint(page, 'zanzibar lighthouse');
    await expect(dateOf('Session one')).toHaveText(await localDay(page, 2023, 5, 8));
    await expect(dateOf('Planned trip')).toHaveText(await localDay(page, 2021, 3, 4));

    await paint(page, 'zanzibar lighthouse after:2022 before:2024');
    await expect(page.getByTestId('result-title')).toHaveText(['Session one']);
    await expect(page.getByTestId('query-chip')).toHaveText(['after 2022', 'before 2024']);
    await paint(page, 'zanzibar lighthouse before:2022');
    await expect(page.getByTestId('result-title')).toHaveText(['Planned trip']);

    await page.getByTestId('nav-folders').click();
    const row = page.getByTestId('folder-row').filter({ hasText: notes });
    await row.getByTestId('folder-remove').click();
    await row.getByTestId('folder-remove-confirm').click();
    await expect(row).toHaveCount(0);
  } finally {
    await fs.rm(notes, { recursive: true, force: true });
  }
});
