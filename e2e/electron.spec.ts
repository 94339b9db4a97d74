import { _electron as electron, expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const ROOT = path.resolve(import.meta.dirname, '..');

/** The Electron binary when npm downloaded it; undefined where it could not (CI skips the download). */
function electronBinary(): string | undefined {
  try {
    const packageDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const binary = path.join(
      packageDir,
      'dist',
      fs.readFileSync(path.join(packageDir, 'path.txt'), 'utf8').trim(),
    );
    return fs.existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

const binary = electronBinary();

test.describe('Electron shell', () => {
  test.skip(!binary, 'Electron is not installed on this machine (its binary could not be downloaded).');

  test('opens the hardened search window with only the driftless bridge', async () => {
    execFileSync(process.execPath, ['scripts/buildElectron.mjs'], { cwd: ROOT, stdio: 'inherit' });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'driftless-electron-'));
    const app = await electron.launch({
      executablePath: binary,
      args: [ROOT],
      cwd: ROOT,
      env: { ...process.env, DRIFTLESS_DATA_DIR: dataDir },
    });
    try {
      const window = await app.firstWindow();
      await expect(window.getByTestId('search-input')).toBeVisible();
      const globals = await window.evaluate(() => ({
        bridge: Object.keys((window as { driftless?: object }).driftless ?? {}).sort(),
        require: typeof (window as { require?: unknown }).require,
        process: typeof (window as { process?: unknown }).process,
      }));
      expect(globals).toEqual({
        bridge: ['call', 'onEvent', 'pickFolder'],
        require: 'undefined',
        process: 'undefined',
      });
      await expect(window.getByTestId('empty-no-folders')).toBeVisible();
    } finally {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
