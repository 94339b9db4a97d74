import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { saveScreenshot } from './helpers.ts';
import { ROOT, startServe } from './serverProcess.ts';

// Issue 17: a damaged index is visible in the window (and in status over HTTP), and the window's
// Repair rebuilds it, showing its progress and its result. Each case runs its own server on its own
// data folder: the suite's shared one must stay whole.

let work: string;
let notes: string;
test.beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-e2e-repair-'));
  notes = path.join(work, 'notes');
  await fs.mkdir(notes);
  for (const [name, text] of [
    ['tomatoes.md', '# Tomatoes\n\nTomatoes need sun and water every morning.\n'],
    ['basil.md', '# Basil\n\nBasil grows well beside tomatoes.\n'],
    ['bread.md', '# Bread\n\nSourdough bread rises overnight.\n'],
  ])
    await fs.writeFile(path.join(notes, name!), text!);
});
test.afterAll(() => fs.rm(work, { recursive: true, force: true }));

/** The real command line, in its own process; resolves with its exit code once it ended. */
function cli(args: string[]): Promise<number | null> {
  const child = spawn(process.execPath, ['bin/driftless.mjs', ...args], { cwd: ROOT, stdio: 'inherit' });
  return new Promise((resolve) => child.once('exit', resolve));
}

async function chunkFiles(dataDir: string, folder: string, ending: string): Promise<string[]> {
  const dir = path.join(dataDir, 'index', 'chunks.lance', folder);
  return (await fs.readdir(dir)).filter((name) => name.endsWith(ending)).map((name) => path.join(dir, name));
}

const damages = {
  // The index opens, but reading its rows fails: status reports it as damaged.
  'halved data files': async (dataDir: string) => {
    for (const file of await chunkFiles(dataDir, 'data', '.lance'))
      await fs.truncate(file, Math.floor((await fs.stat(file)).size / 2));
  },
  // The index cannot open at all: serve moves it aside (kept) so the window can open and say so.
  'a garbage manifest': async (dataDir: string) => {
    for (const file of await chunkFiles(dataDir, '_versions', '.manifest'))
      await fs.writeFile(file, 'garbage');
  },
};

/** The status call over HTTP, with the window's own token. */
function httpStatus(
  page: Page,
): Promise<{ notes: number; indexDamaged?: { problem: string; hint: string } }> {
  return page.evaluate(async () => {
    const response = await fetch('/api/status', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${sessionStorage.getItem('driftless.token') ?? ''}`,
      },
      body: '{}',
    });
    return (
      (await response.json()) as {
        value: { notes: number; indexDamaged?: { problem: string; hint: string } };
      }
    ).value;
  });
}

/** An imported data folder, served; `damage` runs after the import and before the server starts. */
async function served(slug: string, damage?: (dataDir: string) => Promise<void>) {
  const dataDir = path.join(work, slug);
  expect(await cli(['--data-dir', dataDir, 'add', notes])).toBe(0);
  await damage?.(dataDir);
  const server = await startServe('e2e/serveForTests.ts', dataDir);
  return { dataDir, server };
}

/** Clicks Repair, checks the progress it showed and its result, and searches the rebuilt index. */
async function repairInWindow(page: Page, testInfo: TestInfo, dataDir: string, slug: string): Promise<void> {
  // Every text the progress line shows, recorded as the DOM changes (the repair of three notes may
  // be over before an assertion could look).
  await page.evaluate(() => {
    const seen: string[] = ((window as unknown as { progressSeen: string[] }).progressSeen = []);
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="repair-progress"]')?.textContent?.trim();
      if (text && seen.at(-1) !== text) seen.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await saveScreenshot(page, testInfo, `damaged-${slug}`);
  await page.getByTestId('repair-index').click();
  const result = page.getByTestId('repair-result');
  await expect(result).toContainText('The index was rebuilt from your notes: 3 notes.', { timeout: 120_000 });
  await expect(result).toContainText(`kept in ${path.join(dataDir, 'index.damaged-')}`);
  const progress = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
  expect(progress.some((text) => text.startsWith(`Import ${notes}`))).toBe(true);

  await saveScreenshot(page, testInfo, `repaired-${slug}`);
  expect((await httpStatus(page)).indexDamaged).toBeUndefined();
  await page.getByTestId('search-input').fill('tomatoes sun');
  await expect(page.getByTestId('result').first()).toContainText('Tomatoes');
  const aside = (await fs.readdir(dataDir)).filter((entry) => entry.startsWith('index.damaged-'));
  expect(aside).toHaveLength(1);
}

for (const [name, damage] of Object.entries(damages)) {
  test(`an index with ${name} is shown as damaged, and Repair rebuilds it`, async ({ page }, testInfo) => {
    const slug = name.replaceAll(' ', '-');
    const { dataDir, server } = await served(slug, damage);
    try {
      await page.goto(server.url);
      await expect(page.getByTestId('index-damage')).toBeVisible();
      await expect(page.getByTestId('index-damage-problem')).toContainText(
        name === 'a garbage manifest' ? 'moved aside' : 'its chunks table cannot be read',
      );
      await expect(page.getByTestId('index-damage-hint')).toContainText('Repair in the window');
      expect((await httpStatus(page)).indexDamaged?.hint).toContain('driftless repair');
      await repairInWindow(page, testInfo, dataDir, slug);
    } finally {
      await server.stop();
    }
  });
}

test('an index damaged while the window is open is shown once a search meets it', async ({
  page,
}, testInfo) => {
  const { dataDir, server } = await served('damaged-while-open');
  try {
    await page.goto(server.url);
    await page.getByTestId('search-input').fill('tomatoes');
    await expect(page.getByTestId('result').first()).toBeVisible();
    await expect(page.getByTestId('index-damage')).toHaveCount(0);
    await damages['halved data files'](dataDir);
    await page.getByTestId('search-input').fill('sourdough bread');
    await expect(page.getByTestId('index-damage-problem')).toContainText('its chunks table cannot be read');
    await repairInWindow(page, testInfo, dataDir, 'damaged-while-open');
  } finally {
    await server.stop();
  }
});
