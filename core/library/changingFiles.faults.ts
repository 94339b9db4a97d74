import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApp, type App } from '../app/index.ts';
import type { Encoder } from '../encoder/index.ts';
import { FeatureHashingEncoder, makeTempDir } from '../testing/index.ts';
import { indexSnapshot } from '../testing/faults/indexState.ts';
import { noteBody, writeNoteFolder } from '../testing/faults/noteFolder.ts';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let notesDir: string;
const apps: App[] = [];

beforeEach(async () => {
  temp = await makeTempDir('driftless-changing-files-');
  notesDir = path.join(temp.dir, 'notes');
  await writeNoteFolder(notesDir, 300);
});
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
  await temp.remove();
});

async function open(dataDir: string, options: { encoder?: Encoder; watch?: boolean } = {}): Promise<App> {
  const encoder = options.encoder ?? new FeatureHashingEncoder({ dimensions: 512 });
  const app = await openApp({ dataDir, loadEncoder: async () => encoder, watch: options.watch ?? false });
  apps.push(app);
  return app;
}

/** What a clean import of the folder as it is now gives. */
async function referenceFor(name: string) {
  const dataDir = path.join(temp.dir, name);
  const app = await open(dataDir);
  await app.api.addFolder({ path: notesDir });
  await app.idle();
  await app.close();
  return (await indexSnapshot(dataDir)).notes;
}

/** An encoder that runs `onFirstBatch` once, in the middle of an import (after the first batch was read). */
function encoderThatMeddles(onFirstBatch: () => Promise<void>): Encoder {
  const inner = new FeatureHashingEncoder({ dimensions: 512 });
  let done = false;
  return Object.assign(Object.create(inner) as Encoder, {
    embedDocuments: async (texts: readonly string[]) => {
      if (!done) {
        done = true;
        await onFirstBatch();
      }
      return inner.embedDocuments(texts);
    },
  });
}

const notePath = (i: number) =>
  path.join(notesDir, `part-${i % 7}`, `note-${i}.${['md', 'md', 'org', 'html', 'txt'][i % 5]}`);

describe('files that change or disappear during an import', () => {
  it('skips what vanished or broke, indexes the rest, and the next sync matches the folder exactly', async () => {
    const meddle = async () => {
      for (let i = 200; i < 300; i += 3) await fs.rm(notePath(i));
      for (let i = 201; i < 300; i += 3) await fs.writeFile(notePath(i), noteBody(i, 5));
      await fs.writeFile(notePath(202), Buffer.from([0, 1, 2, 3, 0, 0]));
      await fs.writeFile(notePath(205), '');
      await fs.rm(notePath(208));
      await fs.mkdir(notePath(208)); // a folder now has the note's name
      await fs.rm(path.join(notesDir, 'part-3'), { recursive: true });
    };
    const dataDir = path.join(temp.dir, 'data');
    const app = await open(dataDir, { encoder: encoderThatMeddles(meddle) });
    const folder = await app.api.addFolder({ path: notesDir });
    await app.idle();
    const imports = (await app.api.listJobs({})).filter((job) => job.label.startsWith('Import'));
    expect(imports.map((job) => job.state)).toEqual(['finished']);
    const first = await app.api.getImportReport({ folderId: folder.id });
    expect(first.skipped.map((skip) => skip.reason)).toEqual(
      expect.arrayContaining(['vanished', 'binary', 'empty']),
    );
    const { notes } = await indexSnapshot(dataDir);
    for (const note of notes) expect(note.visible).toHaveLength(note.chunks);

    await app.api.syncFolders({});
    await app.idle();
    await app.close();
    expect((await indexSnapshot(dataDir)).notes).toEqual(await referenceFor('reference'));
  });

  it('notes rewritten over and over while they are read end up as their final content', async () => {
    const dataDir = path.join(temp.dir, 'data');
    const app = await open(dataDir);
    let writing = true;
    const writer = (async () => {
      for (let round = 0; writing; round++) {
        for (let i = 0; i < 300; i += 10) await fs.writeFile(notePath(i), noteBody(i, round % 3));
      }
    })();
    await app.api.addFolder({ path: notesDir });
    await app.idle();
    writing = false;
    await writer;
    for (let i = 0; i < 300; i += 10) await fs.writeFile(notePath(i), noteBody(i, 9));
    const { notes } = await indexSnapshot(dataDir);
    for (const note of notes) expect(note.visible).toHaveLength(note.chunks);
    await app.api.syncFolders({});
    await app.idle();
    await app.close();
    expect((await indexSnapshot(dataDir)).notes).toEqual(await referenceFor('reference'));
  });
});

describe('a watched folder that is removed', () => {
  it('keeps the app and its index working, refuses to sync it clearly, and recovers when it returns', async () => {
    const dataDir = path.join(temp.dir, 'data');
    let app = await open(dataDir);
    const folder = await app.api.addFolder({ path: notesDir });
    await app.idle();
    await app.close();
    const before = (await indexSnapshot(dataDir)).notes;

    app = await open(dataDir, { watch: true });
    await app.watching!();
    const watched = app;
    // The watcher sees the notes vanish and syncs the folder: that sync fails, which is the event.
    const syncFailed = new Promise<void>((resolve) => {
      const stop = watched.events.on((event) => {
        if (event.type === 'job' && event.job.state === 'failed') resolve(stop());
      });
    });
    await fs.rename(notesDir, path.join(temp.dir, 'moved-away'));
    await syncFailed;
    await app.idle();
    await app.api.syncFolders({ folderId: folder.id });
    await app.idle();
    const failed = (await app.api.listJobs({})).filter((job) => job.state === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    for (const job of failed) expect(job.error).toContain(folder.root);
    expect((await app.api.search({ query: 'topic3', limit: 3 })).hits.length).toBeGreaterThan(0);
    await app.close();
    expect((await indexSnapshot(dataDir)).notes).toEqual(before);

    await fs.rename(path.join(temp.dir, 'moved-away'), notesDir);
    app = await open(dataDir);
    await app.api.syncFolders({ folderId: folder.id });
    await app.idle();
    expect(await app.api.getImportReport({ folderId: folder.id })).toMatchObject({
      unchanged: 300,
      removed: 0,
    });
  });
});
