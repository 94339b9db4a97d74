import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import { DriftlessError } from '../base/index.ts';

export interface WriterLock {
  release(): Promise<void>;
  /**
   * True when the lock was taken over from a writer that died holding it (crash, kill -9): its
   * half-written files may still be on disk, so the new holder should recover and compact.
   */
  readonly afterCrash: boolean;
}

interface LockOwner {
  pid: number;
  host: string;
  since: number;
  /** Tells two holders apart even when a pid is reused. */
  nonce?: string;
  /**
   * When the holding process started (ms since the epoch, where the system tells: Linux /proc). A
   * live process under the holder's pid that started at another time is not the holder: the pid was
   * reused (after a reboot, or pid 1 of a new container), and the lock is stale.
   */
  started?: number;
}

/** Two readings of one process's start time differ by less than this (clock ticks, rounding). */
const START_TOLERANCE_MS = 2_000;

/** What the lock file holds: its raw text (compared before a stale lock is removed) and owner. */
type LockFile = { text: string; owner: LockOwner | undefined } | 'missing';

const ATTEMPTS = 8;
/** A `.break` guard older than this was left by a process that died while breaking a lock. */
const STALE_GUARD_MS = 10_000;

/**
 * One writer per data folder: LanceDB tolerates concurrent readers but two writers could interleave
 * half-finished notes. The lock file appears atomically with its owner already in it (hard link of
 * a finished temp file), so no one ever reads a half-written lock. A lock left by a dead process
 * (crash, kill -9) is taken over, but only under a second exclusive `.break` file and only if it is
 * still the same stale lock, so two processes breaking it at once cannot both end up writing. A lock
 * held by a live process is refused with a clear error.
 */
export async function acquireWriterLock(lockPath: string, purpose: string): Promise<WriterLock> {
  const started = processStartMs(process.pid);
  const owner: LockOwner = {
    pid: process.pid,
    host: os.hostname(),
    since: Date.now(),
    nonce: randomUUID(),
    ...(started === undefined ? {} : { started }),
  };
  let afterCrash = false;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (await createExclusive(lockPath, owner))
      return { release: () => releaseIfOwned(lockPath, owner), afterCrash };
    const found = await readLock(lockPath);
    if (found === 'missing') continue; // released in between
    refuseIfHeld(found.owner, owner, purpose);
    await breakStaleLock(lockPath, found.text, owner);
    afterCrash = true;
  }
  throw new DriftlessError('LOCKED', `Could not take the writer lock for ${purpose}; try again.`);
}

function refuseIfHeld(holder: LockOwner | undefined, self: LockOwner, purpose: string): void {
  if (!holder) return; // unreadable: left by an older or crashed writer
  if (holder.host === self.host && holder.pid === self.pid) {
    throw new DriftlessError(
      'LOCKED',
      `This process is already writing to the data folder; ${purpose} must wait.`,
      { pid: holder.pid },
    );
  }
  if (holder.host === self.host && isHolderAlive(holder)) {
    throw new DriftlessError(
      'LOCKED',
      `Another Driftless process (pid ${holder.pid}) is writing to this data folder; ${purpose} must wait until it finishes.`,
      { pid: holder.pid },
    );
  }
}

/** Creates `file` holding `owner`, atomically; false when it exists already. */
async function createExclusive(file: string, owner: LockOwner): Promise<boolean> {
  const text = JSON.stringify(owner);
  const temp = `${file}.${owner.pid}.${owner.nonce ?? owner.since}.tmp`;
  await fs.writeFile(temp, text);
  try {
    await fs.link(temp, file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw error;
    return createWithoutLinks(file, text); // file systems without hard links (FAT, some shares)
  } finally {
    await fs.rm(temp, { force: true });
  }
}

async function createWithoutLinks(file: string, text: string): Promise<boolean> {
  try {
    await fs.writeFile(file, text, { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** Removes the stale lock whose text was `staleText`, unless someone replaced it meanwhile. */
async function breakStaleLock(lockPath: string, staleText: string, owner: LockOwner): Promise<void> {
  const guard = `${lockPath}.break`;
  if (!(await createExclusive(guard, owner))) {
    await clearAbandonedGuard(guard);
    await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40));
    return;
  }
  try {
    const current = await readLock(lockPath);
    if (current !== 'missing' && current.text === staleText) await fs.rm(lockPath, { force: true });
  } finally {
    await fs.rm(guard, { force: true });
  }
}

async function clearAbandonedGuard(guard: string): Promise<void> {
  const found = await readLock(guard);
  if (found === 'missing' || (found.owner && isAlive(found.owner.pid))) return;
  const stats = await fs.stat(guard).catch(() => undefined);
  if (stats && Date.now() - stats.mtimeMs > STALE_GUARD_MS) await fs.rm(guard, { force: true });
}

async function readLock(file: string): Promise<LockFile> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  try {
    return { text, owner: JSON.parse(text) as LockOwner };
  } catch {
    return { text, owner: undefined };
  }
}

async function releaseIfOwned(lockPath: string, owner: LockOwner): Promise<void> {
  const found = await readLock(lockPath);
  if (found !== 'missing' && found.text === JSON.stringify(owner)) await fs.rm(lockPath, { force: true });
}

/** Whether the process that took the lock still runs: its pid is alive and, where known, started when it did. */
function isHolderAlive(holder: LockOwner): boolean {
  if (!isAlive(holder.pid)) return false;
  if (holder.started === undefined) return true;
  const started = processStartMs(holder.pid);
  return started === undefined || Math.abs(started - holder.started) < START_TOLERANCE_MS;
}

/**
 * When process `pid` started, in ms since the epoch, from /proc (Linux); undefined elsewhere or when
 * it cannot be read. The start time is in clock ticks since boot (USER_HZ, 100 on Linux).
 */
export function processStartMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces and parentheses) start at its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    const bootSeconds = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
    if (!Number.isFinite(ticks) || !Number.isFinite(bootSeconds)) return undefined;
    return bootSeconds * 1000 + ticks * 10;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
