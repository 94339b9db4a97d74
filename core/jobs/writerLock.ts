import fs from 'node:fs/promises';
import { DriftlessError } from '../base/index.ts';

export interface WriterLock {
  release(): Promise<void>;
}

interface LockOwner {
  pid: number;
  host: string;
  since: number;
}

/**
 * One writer per data folder: LanceDB tolerates concurrent readers but two writers could interleave
 * half-finished notes. The lock is a file created exclusively; a lock left by a dead process
 * (crash, kill -9) is taken over, one held by a live process is refused with a clear error.
 */
export async function acquireWriterLock(lockPath: string, purpose: string): Promise<WriterLock> {
  const owner: LockOwner = {
    pid: process.pid,
    host: (await import('node:os')).hostname(),
    since: Date.now(),
  };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fs.writeFile(lockPath, JSON.stringify(owner), { flag: 'wx' });
      return { release: () => releaseIfOwned(lockPath, owner) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = await readOwner(lockPath);
      if (holder && holder.host === owner.host && isAlive(holder.pid) && holder.pid !== process.pid) {
        throw new DriftlessError(
          'LOCKED',
          `Another Driftless process (pid ${holder.pid}) is writing to this data folder; ${purpose} must wait until it finishes.`,
          { pid: holder.pid },
        );
      }
      if (holder?.pid === process.pid) {
        throw new DriftlessError(
          'LOCKED',
          `This process is already writing to the data folder; ${purpose} must wait.`,
        );
      }
      await fs.rm(lockPath, { force: true }); // stale: its process is gone
    }
  }
  throw new DriftlessError('LOCKED', `Could not take the writer lock for ${purpose}.`);
}

async function readOwner(lockPath: string): Promise<LockOwner | undefined> {
  try {
    return JSON.parse(await fs.readFile(lockPath, 'utf8')) as LockOwner;
  } catch {
    return undefined; // unreadable or half-written lock: treat as stale
  }
}

async function releaseIfOwned(lockPath: string, owner: LockOwner): Promise<void> {
  const holder = await readOwner(lockPath);
  if (holder && holder.pid === owner.pid && holder.since === owner.since)
    await fs.rm(lockPath, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
