import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApp, type App } from './index.ts';
import { FeatureHashingEncoder, makeTempDir } from '../testing/index.ts';
import { injectFsFault, injectIndexWriteFault, type FsFault } from '../testing/faults/fsFaults.ts';
import { indexSnapshot } from '../testing/faults/indexState.ts';
import { writeNoteFolder } from '../testing/faults/noteFolder.ts';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let dataDir: string;
let notesDir: string;
let app: App;
let fault: FsFault | undefined;

const open = () =>
  openApp({ dataDir, loadEncoder: async () => new FeatureHashingEncoder({ dimensions: 512 }) });
const inDataDir = (file: string) => file.startsWith(dataDir);

beforeEach(async () => {
  temp = await makeTempDir('driftless-disk-faults-');
  dataDir = path.join(temp.dir, 'data');
  notesDir = path.join(temp.dir, 'notes');
  await writeNoteFolder(notesDir, 120);
  app = await open();
});
afterEach(async () => {
  fault?.restore();
  fault = undefined;
  await app.close();
  await temp.remove();
});

async function leftoverTempFiles(): Promise<string[]> {
  const files = await fs.readdir(dataDir, { recursive: true });
  return files.filter((file) => file.endsWith('.tmp'));
}

describe.each(['ENOSPC', 'EROFS'] as const)('writes while the data folder fails with %s', (errno) => {
  it('refuses a settings change with a clear IO error, keeps the old file and recovers', async () => {
    await app.api.updateSettings({ settings: { theme: 'dark' } });
    const before = await fs.readFile(path.join(dataDir, 'settings.json'), 'utf8');
    fault = injectFsFault(['open', 'rename', 'mkdir'], errno, inDataDir);
    const refused = app.api.updateSettings({ settings: { theme: 'light', ignore: ['drafts/**'] } });
    await expect(refused).rejects.toMatchObject({ code: 'IO', details: { errno } });
    await expect(refused).rejects.toThrow(errno === 'ENOSPC' ? /disk is full/ : /read-only/);
    expect(fault.failures).toBeGreaterThan(0);
    fault.restore();
    expect(await fs.readFile(path.join(dataDir, 'settings.json'), 'utf8')).toBe(before);
    expect((await app.api.getSettings({})).theme).toBe('dark');
    expect(await leftoverTempFiles()).toEqual([]);
    await app.api.updateSettings({ settings: { theme: 'light' } });
    await app.close();
    app = await open();
    expect((await app.api.getSettings({})).theme).toBe('light');
  });

  it('refuses to add a folder without losing the folders already added', async () => {
    const other = path.join(temp.dir, 'other');
    await fs.mkdir(other);
    await app.api.addFolder({ path: other });
    await app.idle();
    fault = injectFsFault(['open', 'rename', 'mkdir'], errno, inDataDir);
    await expect(app.api.addFolder({ path: notesDir })).rejects.toMatchObject({ code: 'IO' });
    fault.restore();
    expect((await app.api.listFolders({})).map((folder) => folder.root)).toEqual([other]);
    await app.close();
    app = await open();
    expect((await app.api.listFolders({})).map((folder) => folder.root)).toEqual([other]);
    await app.api.addFolder({ path: notesDir });
    expect(await app.api.listFolders({})).toHaveLength(2);
    await app.idle(); // the import that addFolder queued writes temp files of its own while it runs
    expect(await leftoverTempFiles()).toEqual([]);
  });
});

describe('an import while the disk is full', () => {
  it('fails the job, keeps every note indexed before, and completes once space returns', async () => {
    const folder = await app.api.addFolder({ path: notesDir });
    await app.idle();
    const indexed = (await app.api.status({})).notes;
    expect(indexed).toBe(120);
    await app.close();
    const before = await indexSnapshot(dataDir);

    await writeNoteFolder(path.join(notesDir, 'more'), 80);
    await fs.appendFile(path.join(notesDir, 'part-0', 'note-0.md'), '\nA new closing line about topic5.\n');
    app = await open();
    fault = injectIndexWriteFault();
    await app.api.syncFolders({ folderId: folder.id });
    await app.idle();
    const [job] = (await app.api.listJobs({})).filter((candidate) => candidate.state === 'failed');
    expect(job?.error).toMatch(/No space left on device/);
    expect(fault.failures).toBeGreaterThan(0);
    const search = await app.api.search({ query: 'topic3', limit: 5 });
    expect(search.hits.length).toBeGreaterThan(0);
    fault.restore();
    await app.close();
    expect(await indexSnapshot(dataDir)).toEqual(before);

    app = await open();
    await app.api.syncFolders({ folderId: folder.id });
    await app.idle();
    const report = await app.api.getImportReport({ folderId: folder.id });
    expect(report).toMatchObject({ added: 80, updated: 1, removed: 0 });
    expect((await app.api.status({})).notes).toBe(200);
  });

  it('keeps the index when only the import report cannot be written, and says so', async () => {
    const folder = await app.api.addFolder({ path: notesDir });
    fault = injectFsFault(['open'], 'ENOSPC', (file) => file.includes(`${path.sep}reports${path.sep}`));
    await app.idle();
    // The last job: the import (the app's start also lists its index check).
    const job = (await app.api.listJobs({})).at(-1);
    expect(job).toMatchObject({ state: 'failed', error: expect.stringMatching(/disk is full/) });
    fault.restore();
    expect((await app.api.status({})).notes).toBe(120);
    await app.api.syncFolders({ folderId: folder.id });
    await app.idle();
    expect(await app.api.getImportReport({ folderId: folder.id })).toMatchObject({
      added: 0,
      unchanged: 120,
    });
  });
});
