import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../base/index.ts';
import { main } from '../cli/main.ts';
import { CapturedStream } from '../cli/testing.ts';
import { FeatureHashingEncoder, makeTempDir } from '../testing/index.ts';
import { openApp } from './index.ts';

/**
 * A damaged LanceDB index (a garbage manifest, a truncated data file), through the real CLI and the
 * real app: a specific INDEX_DAMAGED error naming the table and what to do, never a raw LanceError
 * with a Rust source path, and never a sync that reports "0 changes" over it.
 */
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let dataDir: string;
let notesDir: string;
const encoder = new FeatureHashingEncoder({ dimensions: 512 });

beforeEach(async () => {
  temp = await makeTempDir('driftless-damaged-index-');
  dataDir = path.join(temp.dir, 'data');
  notesDir = path.join(temp.dir, 'notes');
  await fs.mkdir(notesDir, { recursive: true });
  for (let i = 0; i < 6; i++)
    await fs.writeFile(
      path.join(notesDir, `plant${i}.md`),
      `# Plant ${i}\n\nTomatoes number ${i} need sun.\n`,
    );
  await cli('add', notesDir);
});
afterEach(() => temp.remove());

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new CapturedStream();
  const stderr = new CapturedStream();
  const code = await main(['--data-dir', dataDir, ...argv], {
    openApp: (options) => openApp({ ...options, loadEncoder: async () => encoder }),
    stdout,
    stderr,
    onInterrupt: () => () => undefined,
    env: {},
    openUrl: () => undefined,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

async function tableFiles(table: string, folder: '_versions' | 'data'): Promise<string[]> {
  const dir = path.join(dataDir, 'index', `${table}.lance`, folder);
  const names = await fs.readdir(dir);
  return names.filter((name) => /\.(manifest|lance)$/.test(name)).map((name) => path.join(dir, name));
}

async function garbleManifests(table: string): Promise<void> {
  for (const file of await tableFiles(table, '_versions')) await fs.writeFile(file, 'not a manifest at all');
}

async function halveDataFiles(table: string): Promise<void> {
  for (const file of await tableFiles(table, 'data'))
    await fs.truncate(file, Math.floor((await fs.stat(file)).size / 2));
}

function expectDamaged(result: { code: number; stdout: string; stderr: string }, table: string): void {
  expect(result.code).toBe(ERROR_CODES.INDEX_DAMAGED.exit);
  expect(result.stderr).toContain(`The search index is damaged: its ${table} table cannot be read`);
  expect(result.stderr).toContain('driftless repair');
  expect(result.stderr).not.toMatch(/LanceError|\.rs:\d+/);
  expect(result.stdout).not.toContain('Synced');
}

describe('a damaged index', () => {
  it('a garbage manifest fails status, search and sync with INDEX_DAMAGED naming the table', async () => {
    await garbleManifests('chunks');
    expectDamaged(await cli('status'), 'chunks');
    expectDamaged(await cli('search', 'tomatoes'), 'chunks');
    expectDamaged(await cli('sync'), 'chunks');
  });

  it('halved data files fail search and sync with INDEX_DAMAGED instead of "0 changes"', async () => {
    await halveDataFiles('chunks');
    expectDamaged(await cli('search', 'tomatoes'), 'chunks');
    expectDamaged(await cli('sync'), 'chunks');
  });

  it('halved data files of the notes table are named too', async () => {
    await halveDataFiles('notes');
    expectDamaged(await cli('sync'), 'notes');
  });
});
