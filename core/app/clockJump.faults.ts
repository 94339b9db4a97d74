import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { acquireWriterLock } from '../jobs/index.ts';
import { runTsChild } from '../testing/faults/childProcess.ts';
import { startLockHolder } from '../testing/faults/lockHolders.ts';
import { writeTopicFolder } from '../testing/faults/topicFolder.ts';

/**
 * The wall clock jumping a day forward or back (NTP, a manual change) in the middle of an import
 * and of an adaptation's training, then being set right: jobs still finish, ETAs stay sane, the
 * adaptation schedule does not stall, and the writer lock's staleness does not depend on the clock.
 */
const DAY_MS = 24 * 3_600_000;
const CHILD = 'core/testing/faults/clockChild.ts';
let root: string;
let notesDir: string;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-clock-faults-'));
  notesDir = path.join(root, 'notes');
  await writeTopicFolder(notesDir, 120);
});
afterAll(() => fs.rm(root, { recursive: true, force: true }));

interface ClockRun {
  etas: number[];
  jumps: number;
  jobs: Array<{ kind: string; state: string; error?: string }>;
  versions: string[];
  notes: number;
  schedule: { due: boolean; reason: string };
}

describe('a wall clock that jumps during import and adaptation', () => {
  it.each([
    ['forward', DAY_MS],
    ['back', -DAY_MS],
  ])('jumping a day %s breaks no job, ETA or schedule', async (_direction, shift) => {
    const run = await runTsChild(CHILD, [path.join(root, `data-${shift}`), notesDir, String(shift)]);
    expect(run.stdout, run.stderr).toContain('finished');
    const seen = JSON.parse(run.stdout.split('\n')[0]!) as ClockRun;
    expect(seen.jumps).toBe(2); // once in the import, once in training
    expect(seen.jobs.filter((job) => job.state !== 'finished')).toEqual([]);
    expect(seen.jobs.map((job) => job.kind)).toContain('adapt');
    expect(seen.notes).toBe(120);
    expect(seen.versions).toEqual(['v1']);
    expect(seen.etas.length).toBeGreaterThan(0);
    // The whole run takes seconds; a wall-clock estimate would say about a day (or minus a day).
    for (const eta of seen.etas) expect(eta).toBeGreaterThanOrEqual(0);
    expect(Math.max(...seen.etas)).toBeLessThan(3600);
    // The version was published on the jumped clock; once the clock is right the schedule is due.
    expect(seen.schedule.due).toBe(true);
  });
});

describe('the writer lock under a jumped clock', () => {
  const trueNow = Date.now;
  afterEach(() => {
    Date.now = trueNow;
  });
  const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;
  const lockFile = async (file: string, pid: number, since: number) =>
    fs.writeFile(file, JSON.stringify({ pid, host: os.hostname(), since, nonce: `n${pid}` }));

  it.each([DAY_MS * 365, -DAY_MS * 365])(
    'shift %i ms: a live holder keeps it, a dead one loses it',
    async (shift) => {
      Date.now = () => trueNow() + shift;
      const dir = await fs.mkdtemp(path.join(root, 'lock-'));
      const lock = path.join(dir, 'writer.lock');

      // A live holder beating its lock: on the jumped clock its heartbeat looks a year old (or a
      // year ahead), but watching the file shows it move, so it keeps the lock.
      const holder = await startLockHolder(lock, 500, 'hold');
      try {
        await expect(acquireWriterLock(lock, 'the clock test')).rejects.toMatchObject({
          code: 'LOCKED',
          message: expect.stringContaining(`pid ${holder.pid}`),
        });
      } finally {
        await holder.kill();
      }

      // A stale lock, but a live process is breaking it right now: its guard looks ancient on the
      // jumped clock and must still be respected.
      await lockFile(lock, deadPid(), trueNow());
      await lockFile(`${lock}.break`, process.ppid, trueNow());
      await fs.utimes(`${lock}.break`, new Date(trueNow() - DAY_MS), new Date(trueNow() - DAY_MS));
      await expect(acquireWriterLock(lock, 'the clock test')).rejects.toMatchObject({ code: 'LOCKED' });
      expect(await fs.stat(`${lock}.break`).catch(() => undefined)).toBeDefined();

      await fs.rm(`${lock}.break`);
      const taken = await acquireWriterLock(lock, 'the clock test');
      expect(JSON.parse(await fs.readFile(lock, 'utf8'))).toMatchObject({ pid: process.pid });
      await taken.release();
    },
  );
});
