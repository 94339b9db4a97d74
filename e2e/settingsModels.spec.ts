import { expect, test } from '@playwright/test';
import { openWithNotes, saveScreenshot, search } from './helpers.ts';

// Runs after searchWindow.spec.ts (file order) and ends on the bundled encoder, which versions.spec.ts
// adapts. The e2e server's local hub serves a tiny real BERT as all-MiniLM-L6-v2.
test('downloads a model, searches with it, and switches back to the bundled encoder', async ({
  page,
}, testInfo) => {
  await openWithNotes(page);
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('search-model')).toHaveText('the bundled encoder');
  const row = page.locator('[data-testid="model-row"][data-model-id="all-minilm-l6-v2"]');
  await row.getByTestId('model-download').click();
  await expect(row.getByTestId('model-state')).toHaveText('Installed', { timeout: 60_000 });

  await row.getByTestId('model-use').click();
  await expect(page.getByTestId('search-model')).toHaveText('all-MiniLM-L6-v2', { timeout: 150_000 });
  await expect(row.getByTestId('model-state')).toHaveText('Used for search');
  await expect(row.getByTestId('model-remove')).toBeDisabled();
  await saveScreenshot(page, testInfo, 'settings-model-in-use');

  await search(page, 'sourdough starter');
  await expect(page.getByTestId('result').filter({ hasText: 'Sourdough' }).first()).toBeVisible();

  await page.getByTestId('nav-settings').click();
  await page.getByTestId('model-use-bundled').click();
  await expect(page.getByTestId('search-model')).toHaveText('the bundled encoder', { timeout: 150_000 });
  await expect(row.getByTestId('model-state')).toHaveText('Installed');
});
