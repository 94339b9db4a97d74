import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { addFolder, openWindow } from './helpers.ts';

// Issue 17, item 7: a right-to-left override in a file name (U+202E) made `invoice‮gpj.exe.md` read
// as "invoicedm.exe.jpg". The window writes such characters out, so a name reads as it is stored.

const NAME = 'invoice\u202Egpj.exe.md';
const SHOWN = 'invoice\\u202Egpj.exe.md';

test('a right-to-left override in a note name is written out in results and the preview', async ({
  page,
}) => {
  const notes = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-e2e-names-'));
  await fs.writeFile(path.join(notes, NAME), 'Numbats eat termites in the eucalyptus woodland.\n');
  try {
    await openWindow(page);
    await addFolder(page, notes);
    // The Jobs view follows the server's job events: the folder's import has finished.
    await page.getByTestId('nav-jobs').click();
    const imported = page.locator('[data-testid="job-row"][data-job-state="finished"]', {
      hasText: `Import ${notes}`,
    });
    await expect(imported.first()).toBeVisible({ timeout: 120_000 });

    await page.getByTestId('nav-search').click();
    await page.getByTestId('search-input').fill('numbats termites eucalyptus');
    const result = page.getByTestId('result').filter({ hasText: 'Numbats' }).first();
    await expect(result.getByTestId('result-path')).toHaveText(SHOWN);
    expect(await result.getByTestId('result-title').textContent()).not.toContain('\u202E');
    await result.click();
    await expect(page.getByTestId('preview-body')).toContainText('termites');
    expect(await page.getByTestId('preview-title').textContent()).not.toContain('\u202E');

    await page.getByTestId('nav-folders').click();
    const row = page.getByTestId('folder-row').filter({ hasText: notes });
    await row.getByTestId('folder-remove').click();
    await row.getByTestId('folder-remove-confirm').click();
    await expect(row).toHaveCount(0);
  } finally {
    await fs.rm(notes, { recursive: true, force: true });
  }
});
