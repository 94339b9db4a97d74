import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { connect } from '@lancedb/lancedb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dataPaths } from '../base/index.ts';
import { NoteIndex } from '../store/index.ts';
import { FeatureHashingEncoder, makeNoteWrite, makeTempDir } from '../testing/index.ts';
import { openApp, type App } from './index.ts';

const DIMS = 512;
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let app: App | undefined;
beforeEach(async () => (temp = await makeTempDir('driftless-recovery-')));
afterEach(async () => {
  await app?.close();
  app = undefined;
  await temp.remove();
});

/** An index written by many small writes, as an import resumed after crash after crash leaves it. */
async function fragmentedIndex(dataDir: string, writes: number): Promise<void> {
  const index = await NoteIndex.open(dataPaths(dataDir).index, { dimensions: DIMS });
  const encoder = new FeatureHashingEncoder({ dimensions: DIMS });
  for (let i = 0; i < writes; i++)
    await index.writeNotes([
      await makeNoteWrite(encoder, { notePath: `n${i}.md`, sections: [`Note ${i}.`] }),
    ]);
  await index.close();
}

async function chunkFragments(dataDir: string): Promise<number> {
  const db = await connect(dataPaths(dataDir).index);
  const table = await db.openTable('chunks');
  const { fragmentStats } = await table.stats();
  table.close();
  db.close();
  return fragmentStats.numFragments;
}

/** The lock file a writer killed with kill -9 leaves behind: it names a process that has exited. */
async function lockOfDeadWriter(dataDir: string): Promise<void> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  const owner = { pid: child.pid, host: os.hostname(), since: Date.now(), nonce: 'killed' };
  await fs.writeFile(dataPaths(dataDir).lock, JSON.stringify(owner));
}

describe('opening the app after a crash', () => {
  it('compacts the index once it took over a dead writer’s lock, keeping every row', async () => {
    const dataDir = path.join(temp.dir, 'data');
    await fragmentedIndex(dataDir, 12);
    expect(await chunkFragments(dataDir)).toBe(12);
    await lockOfDeadWriter(dataDir);

    app = await openApp({ dataDir });
    await app.idle();
    expect(await chunkFragments(dataDir)).toBe(1);
    expect(await app.api.status({})).toMatchObject({ notes: 12, chunks: 12 });
    await expect(fs.access(dataPaths(dataDir).lock)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('leaves the index as it is after a clean shutdown', async () => {
    const dataDir = path.join(temp.dir, 'data');
    await fragmentedIndex(dataDir, 3);
    app = await openApp({ dataDir });
    await app.idle();
    expect(await chunkFragments(dataDir)).toBe(3);
  });
});
