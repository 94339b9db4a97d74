import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireWriterLock } from './index.ts';
import { runTsChild, type ChildResult } from '../testing/faults/childProcess.ts';
import { indexSnapshot } from '../testing/faults/indexState.ts';
import { writeNoteFolder } from '../testing/faults/noteFolder.ts';
import { findOverlap } from '../testing/faults/writerLog.ts';

let root: string;
beforeAll(async () => (root = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-writers-'))));
afterAll(() => fs.rm(root, { recursive: true, force: true }));

const LOCKED_MESSAGE = /is writing to this data folder|already writing to the data folder/;

describe('the writer lock under contention', () => {
  it('never lets two processes hold it, even when all of them race to break a stale lock', async () => {
    const lockPath = path.join(root, 'stress.lock');
    const log = path.join(root, 'stress.log');
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => dead.once('exit', resolve));
    await fs.writeFile(lockPath, JSON.stringify({ pid: dead.pid, host: os.hostname(), since: 1 }));
    const runs = await Promise.all(
      Array.from({ length: 5 }, () => runTsChild('core/testing/faults/lockChild.ts', [lockPath, log, '40'])),
    );
    const counts = runs.map(
      (run) => JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as { held: number },
    );
    expect(counts.reduce((sum, count) => sum + count.held, 0)).toBeGreaterThan(5);
    expect(findOverlap(await fs.readFile(log, 'utf8'))).toBeUndefined();
    await expect(fs.access(lockPath)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('treats a lock file that is empty or garbage as stale and replaces it', async () => {
    const lockPath = path.join(root, 'garbage.lock');
    await fs.writeFile(lockPath, '');
    const lock = await acquireWriterLock(lockPath, 'import');
    expect(JSON.parse(await fs.readFile(lockPath, 'utf8'))).toMatchObject({ pid: process.pid });
    await lock.release();
  });
});

describe('two app instances and the command line on one data folder', () => {
  it('serialise or refuse with a clear message, never write together, and end consistent', async () => {
    const notesDir = path.join(root, 'notes');
    await writeNoteFolder(notesDir, 600);
    const dataDir = path.join(root, 'shared-data');
    const seeded = await runTsChild('core/testing/faults/importChild.ts', [
      dataDir,
      notesDir,
      'mutation:6:after',
    ]);
    expect(seeded.signal).toBe('SIGKILL');
    await writeNoteFolder(path.join(notesDir, 'later'), 100);

    const log = path.join(root, 'writes.log');
    const barrier = path.join(root, 'go');
    const env = { DRIFTLESS_WRITE_LOG: log, DRIFTLESS_BARRIER: barrier };
    const ready = new Set<number>();
    const onStdout = (i: number) => (text: string) => {
      if (text.includes('ready')) ready.add(i);
      if (ready.size === 3) void fs.writeFile(barrier, '');
    };
    const [first, second, cli] = await Promise.all([
      runTsChild('core/testing/faults/importChild.ts', [dataDir, notesDir, 'none'], {
        env,
        onStdout: onStdout(0),
      }),
      runTsChild('core/testing/faults/importChild.ts', [dataDir, notesDir, 'none'], {
        env,
        onStdout: onStdout(1),
      }),
      runTsChild('core/testing/faults/cliChild.ts', ['--data-dir', dataDir, 'sync'], {
        env,
        onStdout: onStdout(2),
      }),
    ]);
    const outcomes = [first, second].map(importOutcome);
    outcomes.push(cliOutcome(cli));
    expect(outcomes).toContain('finished');
    for (const outcome of outcomes) expect(['finished', 'refused']).toContain(outcome);
    expect(findOverlap(await fs.readFile(log, 'utf8'))).toBeUndefined();

    const resumed = await runTsChild('core/testing/faults/importChild.ts', [dataDir, notesDir, 'none']);
    expect(resumed.stdout).toContain('finished');
    const { notes, rows } = await indexSnapshot(dataDir);
    expect(notes).toHaveLength(700);
    for (const note of notes) expect(note.visible).toHaveLength(note.chunks);
    expect(rows).toBe(notes.reduce((sum, note) => sum + note.chunks, 0));
  });
});

function importOutcome(run: ChildResult): string {
  if (run.stdout.includes('finished')) return 'finished';
  const failed = /failed (.*)/.exec(run.stdout)?.[1];
  const jobs = failed ? (JSON.parse(failed) as Array<{ error?: string }>) : [];
  if (jobs.length > 0 && jobs.every((job) => LOCKED_MESSAGE.test(job.error ?? ''))) return 'refused';
  return `unexpected: ${run.stdout} ${run.stderr}`;
}

function cliOutcome(run: ChildResult): string {
  if (run.stdout.includes('exit 0')) return 'finished';
  if (run.stdout.includes('exit 5') && LOCKED_MESSAGE.test(run.stderr)) return 'refused';
  return `unexpected: ${run.stdout} ${run.stderr}`;
}

describe('the folder list shared by two instances', () => {
  it('keeps the folders each instance added', async () => {
    const { FolderRegistry } = await import('../library/index.ts');
    const dataDir = path.join(root, 'registry-data');
    await fs.mkdir(dataDir);
    const [x, y] = [path.join(root, 'folder-x'), path.join(root, 'folder-y')];
    await Promise.all([fs.mkdir(x), fs.mkdir(y)]);
    const app = await FolderRegistry.open(dataDir);
    const cli = await FolderRegistry.open(dataDir);
    await app.add(x);
    await cli.add(y);
    const reopened = await FolderRegistry.open(dataDir);
    expect(reopened.list().map((folder) => folder.root)).toEqual([x, y]);
    await app.remove(reopened.list()[1]!.id);
    expect((await FolderRegistry.open(dataDir)).list().map((folder) => folder.root)).toEqual([x]);
  });
});

describe('a second instance opening the index while the first writes', () => {
  /**
   * Found by this suite: a repair on open deleted another instance's rows that were added but not
   * yet committed. Opening no longer repairs; the app repairs in a job that holds the writer lock.
   */
  it('does not make a note half indexed', async () => {
    const { NoteIndex } = await import('../store/index.ts');
    const { FeatureHashingEncoder, makeNoteWrite } = await import('../testing/index.ts');
    const { lanceWriteMethods } = await import('../testing/faults/lanceWrites.ts');
    const dir = path.join(root, 'repair-race');
    const encoder = new FeatureHashingEncoder({ dimensions: 512 });
    const first = await NoteIndex.open(dir, { dimensions: 512 });
    const [owner, name] = lanceWriteMethods()[0]!; // LocalTable.add: step 1 of a write
    const add = owner[name] as (...args: unknown[]) => Promise<unknown>;
    owner[name] = async function (this: unknown, ...args: unknown[]) {
      const result = await add.apply(this, args);
      owner[name] = add;
      const second = await NoteIndex.open(dir, { dimensions: 512 }); // another instance starting up
      await second.close();
      return result;
    };
    try {
      await first.writeNotes([
        await makeNoteWrite(encoder, { notePath: 'a.md', sections: ['alpha', 'beta'] }),
      ]);
    } finally {
      owner[name] = add;
    }
    const [note] = await first.listNotes('f1');
    const visible = await first.filterSearch({ k: 100 });
    await first.close();
    expect(visible).toHaveLength(note!.chunkCount);
  });
});
