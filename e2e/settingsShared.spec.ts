import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { ROOT, startServe, type ServeProcess } from './serverProcess.ts';

// Issue 15: `driftless settings set` while the window is open. settings.json is the one source of
// truth: the open window shows the command line's change at once, and a save in the window keeps
// it. Its own server on its own data folder, so the suite's shared settings stay as they are.

let work: string;
let dataDir: string;
let server: ServeProcess;
test.beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-e2e-settings-'));
  dataDir = path.join(work, 'data');
  server = await startServe('e2e/serveForTests.ts', dataDir);
});
test.afterAll(async () => {
  await server?.stop();
  await fs.rm(work, { recursive: true, force: true });
});

/** The real command line, in its own process; resolves with its exit code once it ended. */
function cli(args: string[]): Promise<number | null> {
  const child = spawn(process.execPath, ['bin/driftless.mjs', '--data-dir', dataDir, ...args], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  return new Promise((resolve) => child.once('exit', resolve));
}

test('the open window shows a setting changed on the command line, and a save there keeps it', async ({
  page,
}) => {
  await page.goto(server.url);
  await expect(page.getByTestId('search-mode-hybrid')).toHaveAttribute('aria-checked', 'true');
  await page.getByTestId('nav-settings').click();
  const minutes = page.getByTestId('setting-training-minutes');
  await expect(minutes).toHaveValue('20');

  expect(await cli(['settings', 'set', 'searchMode', 'text'])).toBe(0);
  expect(await cli(['settings', 'set', 'adaptation.trainingMinutes', '45'])).toBe(0);
  // Shown once the window took the second change, with the first in the same file.
  await expect(minutes).toHaveValue('45');

  await page.getByTestId('setting-theme').selectOption('dark');
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-saved')).toHaveText('Saved.');
  const stored = JSON.parse(await fs.readFile(path.join(dataDir, 'settings.json'), 'utf8')) as unknown;
  expect(stored).toMatchObject({ theme: 'dark', searchMode: 'text', adaptation: { trainingMinutes: 45 } });

  await page.getByTestId('nav-search').click();
  await expect(page.getByTestId('search-mode-text')).toHaveAttribute('aria-checked', 'true');
});
