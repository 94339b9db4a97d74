import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../base/index.ts';
import { runCli } from '../cli/testing.ts';
import { FeatureHashingEncoder, makeTempDir } from '../testing/index.ts';
import { openApp, type App } from './index.ts';

/**
 * A damaged LanceDB index (a garbage manifest, a truncated data file), through the real CLI and the
 * real app: a specific INDEX_DAMAGED error naming the table and what to do, never a raw LanceError
 * with a Rust source path, and never a sync that reports "0 changes" over it. `driftless repair`
 * (and the API's repairIndex) moves it aside and rebuilds it, keeping feedback, marks and settings.
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

const cli = (...argv: string[]) => runCli(dataDir, encoder, ...argv);

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

  it('status reports a damaged index with what to do (and still exits INDEX_DAMAGED)', async () => {
    await halveDataFiles('chunks');
    const status = await cli('status');
    expectDamaged(status, 'chunks');
    expect(status.stdout).toMatch(
      /^DAMAGED: +The search index is damaged: its chunks table cannot be read \(/,
    );
    expect(status.stdout).toMatch(/\nTo fix: +Run `driftless repair`, or Repair in the window/);
    expect(status.stdout).toContain(`Data folder: ${dataDir}`);
    const json = await cli('status', '--json');
    expect(json.code).toBe(ERROR_CODES.INDEX_DAMAGED.exit);
    expect(JSON.parse(json.stdout)).toMatchObject({
      folders: 1,
      notes: 0,
      indexDamaged: {
        problem: expect.stringContaining('its chunks table cannot be read'),
        hint: expect.stringContaining('driftless repair'),
      },
    });
  });

  it.each([
    ['chunks', 'a garbage manifest', () => garbleManifests('chunks')],
    ['notes', 'a garbage manifest', () => garbleManifests('notes')],
    [
      'chunks',
      'its version folder deleted',
      () => fs.rm(path.join(dataDir, 'index', 'chunks.lance', '_versions'), { recursive: true }),
    ],
  ])(
    'status of an index too damaged to open (%s table: %s) still prints everything else and what to do, moving nothing',
    async (table, _damage, damage) => {
      await damage();
      const before = await fs.readdir(path.join(dataDir, 'index'), { recursive: true });
      const status = await cli('status');
      expectDamaged(status, table);
      expect(status.stdout).toMatch(
        new RegExp(`^DAMAGED: +The search index is damaged: its ${table} table cannot be read \\(`),
      );
      expect(status.stdout).toMatch(/\nTo fix: +Run `driftless repair`, or Repair in the window/);
      expect(status.stdout).toContain(`Data folder: ${dataDir}`);
      expect(status.stdout).toMatch(/\nFolders: +1\n/);
      expect(status.stdout).toMatch(/\nVersion: +v0\n/);
      const json = await cli('status', '--json');
      expect(json.code).toBe(ERROR_CODES.INDEX_DAMAGED.exit);
      expect(JSON.parse(json.stdout)).toMatchObject({
        dataDir,
        folders: 1,
        currentVersion: 'v0',
        notes: 0,
        indexDamaged: {
          problem: expect.stringContaining(`its ${table} table cannot be read`),
          hint: expect.stringContaining('driftless repair'),
        },
      });
      // Status only reads: the damaged files stay where they are for `driftless repair`.
      expect(await asideFolders()).toEqual([]);
      expect(await fs.readdir(path.join(dataDir, 'index'), { recursive: true })).toEqual(before);
      // And repair still rebuilds it.
      expect((await cli('repair')).code).toBe(0);
      const repaired = await cli('status');
      expect(repaired.code).toBe(0);
      expect(repaired.stdout).toMatch(/\nNotes: +6 /);
    },
  );

  it.each([
    [
      'a data file overwritten with other bytes',
      async () => {
        for (const file of await tableFiles('chunks', 'data'))
          await fs.writeFile(file, Buffer.alloc((await fs.stat(file)).size, 7));
      },
    ],
    [
      "a table's version folder deleted",
      () => fs.rm(path.join(dataDir, 'index', 'chunks.lance', '_versions'), { recursive: true }),
    ],
  ])('%s fails search with INDEX_DAMAGED', async (_name, damage) => {
    await damage();
    expectDamaged(await cli('search', 'tomatoes'), 'chunks');
  });

  it('halved data files of the notes table are named too', async () => {
    await halveDataFiles('notes');
    expectDamaged(await cli('sync'), 'notes');
  });
});

const openReal = () => openApp({ dataDir, loadEncoder: async () => encoder, watch: false });

/** Feedback (a pin among it) and a setting: what a repair must keep. */
async function userState(app: App): Promise<void> {
  const [folder] = await app.api.listFolders({});
  for (const kind of ['open', 'up', 'pin'] as const)
    await app.api.recordFeedback({
      query: 'tomatoes',
      kind,
      folderId: folder!.id,
      notePath: 'plant1.md',
      shown: [`${folder!.id}/plant1.md`],
      encoderVersion: 'v0',
    });
  await app.api.updateSettings({ settings: { maxFileBytes: 123_456 } });
}

async function expectKept(app: App): Promise<void> {
  const feedback = await fs.readdir(path.join(dataDir, 'feedback'));
  expect(feedback).toContain('feedback.lance');
  expect(await app.api.listMarks({})).toEqual([
    expect.objectContaining({ notePath: 'plant1.md', kind: 'pin' }),
  ]);
  expect((await app.api.getSettings({})).maxFileBytes).toBe(123_456);
  const hits = (await app.api.search({ query: 'tomatoes sun' })).hits.map((hit) => hit.notePath);
  expect(hits).toEqual(expect.arrayContaining(['plant0.md', 'plant5.md']));
  expect((await app.api.status({})).notes).toBe(6);
}

async function feedbackCount(): Promise<number> {
  const { FeedbackLog } = await import('../store/index.ts');
  const log = await FeedbackLog.open(path.join(dataDir, 'feedback'));
  try {
    return await log.count();
  } finally {
    log.close();
  }
}

async function asideFolders(): Promise<string[]> {
  return (await fs.readdir(dataDir)).filter((name) => name.startsWith('index.damaged-'));
}

describe('driftless repair', () => {
  it('an app that sets aside an index it cannot open (serve, the window) says so until repaired', async () => {
    await garbleManifests('chunks');
    const app = await openApp({
      dataDir,
      loadEncoder: async () => encoder,
      watch: false,
      setAsideDamagedIndex: true,
    });
    try {
      const [aside] = await asideFolders();
      expect((await app.api.status({})).indexDamaged).toMatchObject({
        problem: expect.stringContaining('moved aside'),
        hint: expect.stringContaining('Repair in the window'),
        setAsideTo: path.join(dataDir, aside!),
      });
      await app.api.repairIndex({});
      await app.idle();
      const status = await app.api.status({});
      expect(status.indexDamaged).toBeUndefined();
      expect(status.notes).toBe(6);
    } finally {
      await app.close();
    }
  });

  it('rebuilds an index with a garbage manifest from the notes, keeping the old one and the feedback', async () => {
    const app = await openReal();
    await userState(app);
    await app.close();
    await garbleManifests('chunks');
    const repaired = await cli('repair');
    expect(repaired.stderr).toBe('');
    expect(repaired.code).toBe(0);
    const [aside] = await asideFolders();
    expect(repaired.stdout).toContain(`Moved the old index to ${path.join(dataDir, aside!)}`);
    expect(repaired.stdout).toContain(`Rebuilt ${notesDir}: 6 notes`);
    // The damaged files are kept as they were.
    const manifests = await fs.readdir(path.join(dataDir, aside!, 'chunks.lance', '_versions'));
    expect(manifests.some((name) => name.endsWith('.manifest'))).toBe(true);
    expect(await feedbackCount()).toBe(3);
    const after = await openReal();
    try {
      await expectKept(after);
    } finally {
      await after.close();
    }
    const search = await cli('search', 'tomatoes');
    expect(search.code).toBe(0);
    expect(search.stdout).toContain('plant');
  });

  it('a running app that already searched reports data files halved under it as INDEX_DAMAGED', async () => {
    const app = await openReal();
    try {
      expect((await app.api.search({ query: 'tomatoes sun' })).hits.length).toBeGreaterThan(0);
      await halveDataFiles('chunks');
      // Its caches still read the small column the damage probe reads: the failure must still be named.
      const failed = app.api.search({ query: 'tomatoes number sun' });
      await expect(failed).rejects.toMatchObject({ code: 'INDEX_DAMAGED', details: { table: 'chunks' } });
      await expect(failed).rejects.not.toThrow(/LanceError|\.rs:\d+/);
      expect((await app.api.status({})).indexDamaged?.hint).toContain('driftless repair');
    } finally {
      await app.close();
    }
  });

  it("the API's repairIndex rebuilds an index whose data files were halved, in the running app", async () => {
    const app = await openReal();
    try {
      await userState(app);
      await halveDataFiles('chunks');
      await expect(app.api.search({ query: 'tomatoes' })).rejects.toMatchObject({ code: 'INDEX_DAMAGED' });
      expect((await app.api.status({})).indexDamaged?.problem).toContain('its chunks table cannot be read');
      const { setAsideTo, jobIds } = await app.api.repairIndex({});
      expect(jobIds).toHaveLength(1);
      await app.idle();
      expect(await asideFolders()).toEqual([path.basename(setAsideTo)]);
      await expectKept(app);
      expect((await app.api.status({})).indexDamaged).toBeUndefined();
      expect(await feedbackCount()).toBe(3);
    } finally {
      await app.close();
    }
  });
});
