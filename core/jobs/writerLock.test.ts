import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireWriterLock, processStartMs } from './writerLock.ts';

let dir: string;
beforeEach(async () => (dir = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-lock-'))));
afterEach(async () => fs.rm(dir, { recursive: true, force: true }));

describe('acquireWriterLock', () => {
  it('refuses a second writer in the same process and frees the lock on release', async () => {
    const lockPath = path.join(dir, 'writer.lock');
    const lock = await acquireWriterLock(lockPath, 'import');
    await expect(acquireWriterLock(lockPath, 'sync')).rejects.toMatchObject({ code: 'LOCKED' });
    await lock.release();
    const again = await acquireWriterLock(lockPath, 'sync');
    await again.release();
  });

  it('refuses while another live process holds it, and takes over once that process is dead', async () => {
    const lockPath = path.join(dir, 'writer.lock');
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    await fs.writeFile(lockPath, JSON.stringify({ pid: child.pid, host: os.hostname(), since: 1 }));
    await expect(acquireWriterLock(lockPath, 'import')).rejects.toThrow(`pid ${child.pid}`);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const lock = await acquireWriterLock(lockPath, 'import');
    expect(JSON.parse(await fs.readFile(lockPath, 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it.runIf(processStartMs(process.pid) !== undefined)(
    'takes over a lock whose pid now names an unrelated live process (pid reuse, pid 1 in a container)',
    async () => {
      const lockPath = path.join(dir, 'writer.lock');
      // A live process under the lock's pid, started an hour after the holder recorded in the lock.
      const unrelated = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
      await new Promise((resolve) => unrelated.once('spawn', resolve));
      const startedMs = processStartMs(unrelated.pid!)!;
      const holder = {
        pid: unrelated.pid,
        host: os.hostname(),
        since: 1,
        nonce: 'n',
        started: startedMs - 3_600_000,
      };
      await fs.writeFile(lockPath, JSON.stringify(holder));
      const lock = await acquireWriterLock(lockPath, 'import');
      expect(JSON.parse(await fs.readFile(lockPath, 'utf8'))).toMatchObject({ pid: process.pid });
      await lock.release();
      // The same process recorded with its own start time still holds the lock.
      await fs.writeFile(lockPath, JSON.stringify({ ...holder, started: startedMs }));
      await expect(acquireWriterLock(lockPath, 'import')).rejects.toMatchObject({ code: 'LOCKED' });
      unrelated.kill('SIGKILL');
      await new Promise((resolve) => unrelated.once('exit', resolve));
    },
  );
});
