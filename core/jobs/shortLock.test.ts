import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitForLock, withShortLock } from './shortLock.ts';
import { acquireWriterLock } from './writerLock.ts';

let dir: string;
let lockPath: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-wait-lock-'));
  lockPath = path.join(dir, 'writer.lock');
});
afterEach(async () => fs.rm(dir, { recursive: true, force: true }));

describe('waitForLock', () => {
  it('waits while another process writes, says for whom, and takes the lock once it exits', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    await fs.writeFile(lockPath, JSON.stringify({ pid: child.pid, host: os.hostname(), since: 1 }));
    let told: (holder: string) => void = () => undefined;
    const waiting = new Promise<string>((resolve) => (told = resolve));
    const taken = waitForLock(lockPath, 'import', { onWait: told });
    // A lock of an older version: no command or job, only its pid and since (a day long past).
    expect(await waiting).toMatch(
      new RegExp(
        `^another Driftless process \\(pid ${child.pid}, holding since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\)$`,
      ),
    );
    child.kill('SIGKILL');
    const lock = await taken;
    expect(JSON.parse(await fs.readFile(lockPath, 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it('stops waiting with CANCELLED when its job is cancelled, leaving the holder’s lock alone', async () => {
    const held = await acquireWriterLock(lockPath, 'import');
    const cancel = new AbortController();
    const taken = waitForLock(lockPath, 'sync', { signal: cancel.signal, onWait: () => cancel.abort() });
    await expect(taken).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(JSON.parse(await fs.readFile(lockPath, 'utf8')).pid).toBe(process.pid);
    await held.release();
  });

  it('waits for a writer on another computer sharing the folder, naming it, until cancelled', async () => {
    const remote = {
      pid: 4242,
      host: 'other-host.example',
      since: Date.now(),
      nonce: 'r',
      heartbeatMs: 60_000,
    };
    await fs.writeFile(lockPath, JSON.stringify(remote));
    const cancel = new AbortController();
    let told = '';
    const taken = waitForLock(lockPath, 'sync', {
      signal: cancel.signal,
      onWait: (holder) => {
        told = holder;
        cancel.abort();
      },
    });
    await expect(taken).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(told).toMatch(
      /^Driftless on other-host\.example \(pid 4242, holding since (\d{4}-\d\d-\d\d )?\d\d:\d\d\)$/,
    );
    expect(JSON.parse(await fs.readFile(lockPath, 'utf8'))).toMatchObject(remote);
  });

  it('gives up with LOCKED after waitMs', async () => {
    const held = await acquireWriterLock(lockPath, 'import');
    await expect(waitForLock(lockPath, 'sync', { waitMs: 0 })).rejects.toMatchObject({ code: 'LOCKED' });
    await held.release();
  });

  it('says whom it waits for anew when another holder takes the lock meanwhile', async () => {
    const first = {
      pid: 4242,
      host: 'other-host.example',
      since: Date.now(),
      nonce: 'a',
      heartbeatMs: 60_000,
    };
    await fs.writeFile(lockPath, JSON.stringify({ ...first, purpose: 'Import ~/a' }));
    const cancel = new AbortController();
    const told: string[] = [];
    let heard: () => void = () => undefined;
    const nextTold = () => new Promise<void>((resolve) => (heard = resolve));
    const firstTold = nextTold();
    const taken = waitForLock(lockPath, 'sync', {
      signal: cancel.signal,
      onWait: (holder) => {
        told.push(holder);
        heard();
      },
    });
    await firstTold;
    // Another writer took it between two tries (the file is replaced whole, as a new lock appears).
    await fs.writeFile(`${lockPath}.new`, JSON.stringify({ ...first, nonce: 'b', purpose: 'Import ~/b' }));
    const secondTold = nextTold();
    await fs.rename(`${lockPath}.new`, lockPath);
    await secondTold;
    cancel.abort();
    await expect(taken).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(told).toEqual([expect.stringContaining('Import ~/a'), expect.stringContaining('Import ~/b')]);
  });
});

describe('withShortLock', () => {
  it('runs updates of several callers one at a time', async () => {
    const log: string[] = [];
    const update = (name: string) =>
      withShortLock(lockPath, name, async () => {
        log.push(`${name} in`);
        await fs.writeFile(path.join(dir, name), name); // a real await inside the critical section
        log.push(`${name} out`);
      });
    await Promise.all(['a', 'b', 'c', 'd'].map(update));
    for (let i = 0; i < log.length; i += 2) expect(log[i + 1]).toBe(log[i]!.replace(' in', ' out'));
  });
});
