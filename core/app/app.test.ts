import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Query } from '@lancedb/lancedb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openApp, type App } from './index.ts';

/**
 * The whole core through its API: real files, real LanceDB, the real bundled encoder. One app is
 * shared by the steps below because they follow one user's session (import, edit, rename, delete).
 */
let root: string;
let notes: string;
let app: App;
let folderId: string;

const note = (name: string, body: string) => fs.writeFile(path.join(notes, name), body);

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-app-'));
  notes = path.join(root, 'notes');
  await fs.mkdir(path.join(notes, 'cooking'), { recursive: true });
  await note(
    'sourdough.md',
    '---\ntags: [baking]\n---\n# Sourdough starter\n\nFeed the starter with flour and water every day.\n\n## Baking\n\nBake the loaf at 250 degrees in a covered pot.',
  );
  await note(
    'cooking/risotto.md',
    '# Mushroom risotto\n\nToast the arborio rice, then add warm stock one ladle at a time.',
  );
  await note(
    'kubernetes.md',
    '# Kubernetes pods\n\nA pod groups containers that share a network namespace and volumes.',
  );
  await note('travel.txt', 'Packing list for the mountains: boots, rain jacket, map and compass.');
  await fs.writeFile(path.join(notes, 'photo.md'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1, 2, 3]));
  app = await openApp({ dataDir: path.join(root, 'data') });
  folderId = (await app.api.addFolder({ path: notes })).id;
  await app.idle();
}, 240_000);

afterAll(async () => {
  await app?.close();
  await fs.rm(root, { recursive: true, force: true });
});

describe('openApp', () => {
  it('imports a folder and reports what it skipped and why', async () => {
    const status = await app.api.status({});
    expect(status).toMatchObject({ folders: 1, notes: 4, currentVersion: 'v0' });
    expect(status.chunks).toBeGreaterThanOrEqual(4);
    expect(status.rowsByVersion.v0).toBe(status.chunks);
    const report = await app.api.getImportReport({ folderId });
    expect(report).toMatchObject({ added: 4, updated: 0, removed: 0 });
    expect(report.skipped).toEqual([expect.objectContaining({ path: 'photo.md', reason: 'binary' })]);
  });

  it('finds a note by its exact title first, and by meaning in dense mode', async () => {
    const byTitle = await app.api.search({ query: 'Mushroom risotto' });
    expect(byTitle.hits[0]).toMatchObject({
      notePath: 'cooking/risotto.md',
      title: 'Mushroom risotto',
      encoderVersion: 'v0',
    });
    const dense = await app.api.search({ query: 'how to make bread at home', mode: 'dense' });
    expect(dense.hits[0]?.notePath).toBe('sourdough.md');
    const text = await app.api.search({ query: 'compass', mode: 'text' });
    expect(text.hits.map((hit) => hit.notePath)).toEqual(['travel.txt']);
    expect(text.hits[0]!.highlights.length).toBeGreaterThan(0);
  });

  it('filters by tag with the query syntax', async () => {
    const hits = (await app.api.search({ query: 'tag:baking water' })).hits;
    expect(hits.map((hit) => hit.notePath)).toEqual(['sourdough.md']);
  });

  it('re-reads only what changed, moves renamed notes, and drops deleted ones', async () => {
    await note(
      'kubernetes.md',
      '# Kubernetes pods\n\nA pod groups containers. Deployments manage replica sets of pods.',
    );
    await fs.rename(path.join(notes, 'travel.txt'), path.join(notes, 'trips.txt'));
    await fs.rm(path.join(notes, 'cooking', 'risotto.md'));
    await app.api.syncFolders({ folderId });
    await app.idle();
    const report = await app.api.getImportReport({ folderId });
    expect(report).toMatchObject({ updated: 1, renamed: 1, removed: 1, added: 0, unchanged: 1 });
    const found = await app.api.search({ query: 'replica sets deployments', mode: 'text' });
    expect(found.hits[0]?.notePath).toBe('kubernetes.md');
    expect((await app.api.search({ query: 'compass', mode: 'text' })).hits[0]?.notePath).toBe('trips.txt');
    expect((await app.api.search({ query: 'arborio', mode: 'text' })).hits).toEqual([]);
  });

  it('a rescan with no changes touches nothing', async () => {
    const before = await app.api.status({});
    await app.api.syncFolders({});
    await app.idle();
    const report = await app.api.getImportReport({ folderId });
    expect(report).toMatchObject({ added: 0, updated: 0, removed: 0, renamed: 0, unchanged: 3 });
    expect(await app.api.status({})).toMatchObject({ notes: before.notes, chunks: before.chunks });
  });

  it('serves note content but refuses paths outside the folder', async () => {
    // The title comes from the note's own row, not from a list of every note of the folder.
    let rowsRead = 0;
    const toArray = Query.prototype.toArray;
    const spy = vi.spyOn(Query.prototype, 'toArray').mockImplementation(async function (
      this: Query,
      ...args
    ) {
      const rows = await toArray.apply(this, args);
      rowsRead += rows.length;
      return rows;
    });
    const content = await app.api
      .getNote({ folderId, notePath: 'sourdough.md' })
      .finally(() => spy.mockRestore());
    expect(rowsRead).toBe(1);
    expect(content).toMatchObject({ format: 'markdown', title: 'Sourdough starter' });
    expect(content.content).toContain('Feed the starter');
    await expect(app.api.getNote({ folderId, notePath: '../data/settings.json' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await fs.symlink('/etc/hostname', path.join(notes, 'escape.md'));
    await expect(app.api.getNote({ folderId, notePath: 'escape.md' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('indexes the head of a huge one-line note, says so, and previews an excerpt of it', async () => {
    await app.api.updateSettings({ settings: { maxIndexedChars: 20_000 } });
    const line =
      'zanzibarquartz opening words. ' +
      'log entry '.repeat(3_000) +
      'midpointmarker ' +
      'log entry '.repeat(297_000) +
      'endmarkerword';
    await note('huge-line.md', `# Huge log\n\n${line}`);
    await app.api.syncFolders({ folderId });
    await app.idle();
    const report = await app.api.getImportReport({ folderId });
    expect(report.truncated).toEqual([
      { path: 'huge-line.md', indexedChars: 20_000, totalChars: line.length + 12 },
    ]);
    const hit = (await app.api.search({ query: 'zanzibarquartz', mode: 'text' })).hits[0];
    expect(hit?.notePath).toBe('huge-line.md');
    expect((await app.api.search({ query: 'endmarkerword', mode: 'text' })).hits).toEqual([]);

    const shown = await app.api.getNote({ folderId, notePath: 'huge-line.md', around: hit!.start });
    expect(shown.excerpt).toMatchObject({ start: 0, totalChars: line.length + 12 });
    expect(shown.content.length).toBe(shown.excerpt!.end);
    expect(shown.content.length).toBeLessThanOrEqual(200_000);
    const tail = await app.api.getNote({ folderId, notePath: 'huge-line.md', around: line.length });
    expect(tail.content.endsWith('endmarkerword')).toBe(true);

    // A new limit applies to unchanged files too: they are read again.
    expect((await app.api.search({ query: 'midpointmarker', mode: 'text' })).hits).toEqual([]);
    await app.api.updateSettings({ settings: { maxIndexedChars: 40_000 } });
    await app.idle();
    expect((await app.api.getImportReport({ folderId })).truncated).toEqual([
      { path: 'huge-line.md', indexedChars: 40_000, totalChars: line.length + 12 },
    ]);
    expect((await app.api.search({ query: 'midpointmarker', mode: 'text' })).hits[0]?.notePath).toBe(
      'huge-line.md',
    );
    await app.api.updateSettings({ settings: { maxIndexedChars: 1_000_000 } });
    await app.idle();
  });

  it('keeps settings and folders across restarts', async () => {
    await app.api.updateSettings({ settings: { theme: 'dark', ignore: ['drafts/'] } });
    await app.close();
    app = await openApp({ dataDir: path.join(root, 'data') });
    expect((await app.api.getSettings({})).theme).toBe('dark');
    expect((await app.api.listFolders({})).map((folder) => folder.id)).toEqual([folderId]);
    await expect(app.api.updateSettings({ settings: { maxFileBytes: 1 } })).rejects.toThrow();
  });

  it('lists imports with their folder, and no startup check that found nothing to do', async () => {
    const announced: string[] = [];
    const stop = app.events.on((event) => void (event.type === 'job' && announced.push(event.job.label)));
    const { jobIds } = await app.api.syncFolders({ folderId });
    await app.idle();
    stop();
    // The app reopened in the test above: its index check ran and found a clean index.
    const jobs = await app.api.listJobs({});
    expect(jobs.map((job) => job.label)).not.toContain('Check the index');
    expect(announced).not.toContain('Check the index');
    expect(jobs.find((job) => job.id === jobIds[0])).toMatchObject({ kind: 'import', folderId });
  });
});
