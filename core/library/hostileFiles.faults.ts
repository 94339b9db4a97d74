import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApp, type App } from '../app/index.ts';
import type { Encoder } from '../encoder/index.ts';
import { FeatureHashingEncoder, makeTempDir } from '../testing/index.ts';
import { writeNoteFolder } from '../testing/faults/noteFolder.ts';

/**
 * Special files in a notes folder: a FIFO opened for reading waits for a writer forever, on a libuv
 * thread. Each case here hung for good before special files were refused before opening.
 */
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let notesDir: string;
const apps: App[] = [];

beforeEach(async () => {
  temp = await makeTempDir('driftless-hostile-files-');
  notesDir = path.join(temp.dir, 'notes');
});
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
  await temp.remove();
});

async function open(encoder: Encoder = new FeatureHashingEncoder({ dimensions: 512 })): Promise<App> {
  const app = await openApp({
    dataDir: path.join(temp.dir, 'data'),
    loadEncoder: async () => encoder,
    watch: false,
  });
  apps.push(app);
  return app;
}

function mkfifo(file: string): void {
  execFileSync('mkfifo', [file]);
}

/** An encoder that runs `onFirstBatch` once, after the import read its first batch of notes. */
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

describe('special files in a notes folder', () => {
  it('skips a note swapped for a FIFO in the middle of an import, and the import ends', async () => {
    await writeNoteFolder(notesDir, 150);
    const files = (await fs.readdir(notesDir, { recursive: true })).filter((name) =>
      /\.(md|txt|org|html)$/.test(name),
    );
    // The last file in scan order is read in the last batch, after the first batch was embedded.
    const victim = files.sort().at(-1)!;
    const app = await open(
      encoderThatMeddles(async () => {
        await fs.rm(path.join(notesDir, victim));
        mkfifo(path.join(notesDir, victim));
      }),
    );
    const { id } = await app.api.addFolder({ path: notesDir });
    await app.idle();
    const report = await app.api.getImportReport({ folderId: id });
    expect(report.added).toBeGreaterThan(0);
    const skipped = report.skipped.find((skip) => skip.path === victim.split(path.sep).join('/'));
    expect(skipped).toMatchObject({ reason: 'unreadable' });
    // The writer lock is free again: another sync runs to its end.
    await app.api.syncFolders({});
    await app.idle();
  });

  it('answers getNote on a FIFO at once, and five such calls leave status and folders responsive', async () => {
    await fs.mkdir(notesDir, { recursive: true });
    await fs.writeFile(path.join(notesDir, 'pipe.md'), '# Pipe\n\nA note that becomes a FIFO.\n');
    const app = await open();
    const { id } = await app.api.addFolder({ path: notesDir });
    await app.idle();
    await fs.rm(path.join(notesDir, 'pipe.md'));
    mkfifo(path.join(notesDir, 'pipe.md'));
    const reads = await Promise.allSettled(
      Array.from({ length: 5 }, () => app.api.getNote({ folderId: id, notePath: 'pipe.md' })),
    );
    expect(reads.map((read) => read.status)).toEqual(Array(5).fill('rejected'));
    expect((reads[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'UNSUPPORTED' });
    expect(await app.api.status({})).toMatchObject({ folders: 1 });
    expect((await app.api.listFolders({})).map((folder) => folder.id)).toEqual([id]);
  });

  it('imports a folder whose .gitignore is a FIFO, reading the notes beside it', async () => {
    await fs.mkdir(notesDir, { recursive: true });
    await fs.writeFile(path.join(notesDir, 'kept.md'), '# Kept\n\nStill imported.\n');
    mkfifo(path.join(notesDir, '.gitignore'));
    const app = await open();
    const { id } = await app.api.addFolder({ path: notesDir });
    await app.idle();
    const report = await app.api.getImportReport({ folderId: id });
    expect(report).toMatchObject({ added: 1 });
  });
});
