import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startLockHolder, type LockHolder } from '../testing/faults/lockHolders.ts';
import { waitForLock } from './shortLock.ts';
import { acquireWriterLock, processStartMs } from './writerLock.ts';

/** Real lock files and real processes: holders that beat, hang, die, or live on another host. */
let dir: string;
let lockPath: string;
const cleanups: Array<() => Promise<unknown>> = [];
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-heartbeat-'));
  lockPath = path.join(dir, 'writer.lock');
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  await fs.rm(dir, { recursive: true, force: true });
});

const HOUR_MS = 3_600_000;
const lockOf = async () => JSON.parse(await fs.readFile(lockPath, 'utf8')) as { pid: number };
const setMtime = (ms: number) => fs.utimes(lockPath, new Date(ms), new Date(ms));
async function holder(
  heartbeatMs: number,
  mode: 'hold' | 'hang',
  as?: { purpose: string; command?: string },
): Promise<LockHolder> {
  const started = await startLockHolder(lockPath, heartbeatMs, mode, as);
  cleanups.push(started.kill);
  return started;
}

describe('writer lock heartbeats', () => {
  it('a waiter takes over a lock whose pid lives on but whose heartbeat stopped (pid reuse without start times)', async () => {
    // An unrelated live process under the lock's pid, as after pid reuse on a system without /proc.
    const unrelated = spawn(process.execPath, ['-e', 'setInterval(() => {}, 60000)']);
    cleanups.push(async () => unrelated.kill('SIGKILL'));
    await new Promise((resolve) => unrelated.once('spawn', resolve));
    const owner = { pid: unrelated.pid, host: os.hostname(), since: Date.now(), nonce: 'n' };
    // While its heartbeat is recent, it counts as held (a minute-long interval: fresh for minutes).
    await fs.writeFile(lockPath, JSON.stringify({ ...owner, heartbeatMs: 60_000 }));
    await expect(acquireWriterLock(lockPath, 'import')).rejects.toThrow(`pid ${unrelated.pid}`);
    // Once it stops beating (20 ms interval, never refreshed), a waiter takes it over.
    await fs.writeFile(lockPath, JSON.stringify({ ...owner, heartbeatMs: 20 }));
    const lock = await waitForLock(lockPath, 'import');
    expect(lock.afterCrash).toBe(true);
    expect((await lockOf()).pid).toBe(process.pid);
    await lock.release();
  });

  it('refuses a fresh lock from another host, naming host, pid and since; takes over a stopped one', async () => {
    const since = Date.UTC(2026, 0, 2, 3, 4, 5);
    const remote = { pid: 4242, host: 'other-host.example', since, nonce: 'r', heartbeatMs: 60_000 };
    await fs.writeFile(lockPath, JSON.stringify(remote));
    const refused = acquireWriterLock(lockPath, 'import');
    await expect(refused).rejects.toMatchObject({
      code: 'LOCKED',
      details: { host: 'other-host.example', pid: 4242, since },
    });
    await expect(refused).rejects.toThrow(
      /^Driftless on other-host\.example \(pid 4242, holding since 2026-01-0[12] \d\d:\d\d\) is writing to this shared data folder; import must wait until it finishes\.$/,
    );
    expect(await lockOf()).toMatchObject({ host: 'other-host.example' });

    // The other host crashed an hour ago: its heartbeat stands still while we watch.
    await fs.writeFile(lockPath, JSON.stringify({ ...remote, heartbeatMs: 20 }));
    await setMtime(Date.now() - HOUR_MS);
    const lock = await acquireWriterLock(lockPath, 'import');
    expect(lock.afterCrash).toBe(true);
    expect(await lockOf()).toMatchObject({ pid: process.pid, host: os.hostname() });
    await lock.release();
  });

  it.each([-HOUR_MS, HOUR_MS])(
    'a beating holder keeps its lock when its mtime is %i ms off (clock jump, skewed host)',
    async (offset) => {
      const beating = await holder(500, 'hold');
      await setMtime(Date.now() + offset);
      const refused = acquireWriterLock(lockPath, 'import');
      await expect(refused).rejects.toMatchObject({
        code: 'LOCKED',
        message: expect.stringContaining(`pid ${beating.pid}`),
      });
      await expect(refused).rejects.not.toMatchObject({ details: { hung: true } });
      expect((await lockOf()).pid).toBe(beating.pid);
    },
  );

  it.runIf(processStartMs(process.pid) !== undefined)(
    'a waiter gives up with LOCKED when the holder lives but hangs, and takes over once it is ended',
    async () => {
      const hanging = await holder(20, 'hang');
      const waited = waitForLock(lockPath, 'import');
      await expect(waited).rejects.toMatchObject({
        code: 'LOCKED',
        details: { pid: hanging.pid, hung: true },
      });
      await expect(waited).rejects.toThrow(/stopped responding .*end it and try again/);
      expect((await lockOf()).pid).toBe(hanging.pid); // never taken from a live process
      await hanging.kill();
      const lock = await acquireWriterLock(lockPath, 'import');
      expect(lock.afterCrash).toBe(true);
      await lock.release();
    },
  );

  it('a waiter gives up after waitMs on a holder that keeps beating but never finishes, naming it', async () => {
    // A writer stuck in a job that never ends: alive and beating (1 s), so never taken over.
    const stuck = await holder(1_000, 'hold', {
      purpose: 'Import /notes/elsewhere',
      command: 'driftless serve',
    });
    const told: string[] = [];
    const waited = waitForLock(lockPath, 'sync', { waitMs: 300, onWait: (who) => told.push(who) });
    const who = `another Driftless process \\(pid ${stuck.pid}, \`driftless serve\`: Import /notes/elsewhere, holding since (\\d{4}-\\d\\d-\\d\\d )?\\d\\d:\\d\\d\\)`;
    await expect(waited).rejects.toMatchObject({
      code: 'LOCKED',
      details: {
        pid: stuck.pid,
        command: 'driftless serve',
        purpose: 'Import /notes/elsewhere',
        waitedMs: 300,
        gaveUp: true,
      },
    });
    await expect(waited).rejects.toThrow(
      new RegExp(
        `^A${who.slice(1)} is still writing to this data folder; gave up waiting after 0\\.3 s\\. Try again when it finishes\\.$`,
      ),
    );
    expect(told).toEqual([expect.stringMatching(new RegExp(`^${who}$`))]);
    expect((await lockOf()).pid).toBe(stuck.pid); // a live, beating holder keeps its lock
  });

  it('a holder learns that its lock was taken over, and its release leaves the new lock alone', async () => {
    let told: () => void = () => undefined;
    const lost = new Promise<void>((resolve) => (told = resolve));
    const lock = await acquireWriterLock(lockPath, 'import', { heartbeatMs: 20, onLost: told });
    expect(lock.lost).toBe(false);
    // What a process on another computer writes after watching this one's heartbeat stand still.
    const other = JSON.stringify({
      pid: 4242,
      host: 'other-host.example',
      since: Date.now(),
      heartbeatMs: 20,
    });
    await fs.writeFile(lockPath, other);
    await lost;
    expect(lock.lost).toBe(true);
    await lock.release();
    expect(await fs.readFile(lockPath, 'utf8')).toBe(other);
  });

  it('the holder touches its lock while it holds it and stops once released', async () => {
    const lock = await acquireWriterLock(lockPath, 'import', { heartbeatMs: 20 });
    await setMtime(Date.now() - HOUR_MS);
    const before = (await fs.stat(lockPath)).mtimeMs;
    // Wait for the event: the next heartbeat moves the mtime (leaving the loop closes the watcher).
    for await (const _ of fs.watch(dir)) if ((await fs.stat(lockPath)).mtimeMs !== before) break;
    expect((await fs.stat(lockPath)).mtimeMs).toBeGreaterThan(Date.now() - HOUR_MS / 2);
    await lock.release();
    await expect(fs.stat(lockPath)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
