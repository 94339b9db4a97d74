import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import { DriftlessError } from '../base/index.ts';
import { checkHeartbeat, DEFAULT_HEARTBEAT_MS, staleAfterMs, startHeartbeat } from './lockHeartbeat.ts';

export interface WriterLock {
  release(): Promise<void>;
  /**
   * True once another process took the lock over (this one stalled past the staleness bound, on a
   * shared drive or without a provable pid): the holder must stop writing. See LockOptions.onLost.
   */
  readonly lost: boolean;
  /**
   * True when the lock was taken over from a writer that died holding it (crash, kill -9): its
   * half-written files may still be on disk, so the new holder should recover and compact.
   */
  readonly afterCrash: boolean;
}

export interface LockOptions {
  /** How often the holder touches the lock (default 5 s); others read it from the lock file. */
  heartbeatMs?: number;
  /** Told once when the lock is found taken over while held (`lost` turns true). */
  onLost?: () => void;
  /**
   * What this process is, for others waiting on its lock (`driftless add`, `driftless serve`);
   * default: "the Driftless app" under Electron, else nothing.
   */
  command?: string;
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
  /** The holder's heartbeat interval (absent in locks of older versions, which never beat). */
  heartbeatMs?: number;
  /** The holding process (`driftless serve`), and what it writes (a job's label): for waiters. */
  command?: string;
  purpose?: string;
}

/** Two readings of one process's start time differ by less than this (clock ticks, rounding). */
const START_TOLERANCE_MS = 2_000;

/** What the lock file holds: its raw text (compared before a stale lock is removed), owner and mtime. */
type LockFile = { text: string; owner: LockOwner | undefined; mtimeMs: number } | 'missing';

const ATTEMPTS = 8;
/** A `.break` guard older than this was left by a process that died while breaking a lock. */
const STALE_GUARD_MS = 10_000;

/**
 * One writer per data folder: LanceDB tolerates concurrent readers but two writers could interleave
 * half-finished notes. The lock file appears atomically with its owner already in it (hard link of
 * a finished temp file), so no one ever reads a half-written lock, and its holder keeps touching it
 * (lockHeartbeat.ts). A lock is taken over, under a second exclusive `.break` file and only if it is
 * still the same stale lock (so two processes breaking it at once cannot both end up writing), when
 * its process is gone (crash, kill -9; same host), or when its heartbeat stopped and its holder cannot
 * be proven alive (another host sharing the drive, a reused pid). A working holder is refused with a
 * clear LOCKED naming it; so is one proven alive whose heartbeat stopped (hung: `details.hung`).
 */
export async function acquireWriterLock(
  lockPath: string,
  purpose: string,
  options: LockOptions = {},
): Promise<WriterLock> {
  const started = processStartMs(process.pid);
  const command = options.command ?? defaultCommand();
  const owner: LockOwner = {
    pid: process.pid,
    host: os.hostname(),
    since: Date.now(),
    nonce: randomUUID(),
    ...(started === undefined ? {} : { started }),
    heartbeatMs: options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
    ...(command ? { command } : {}),
    purpose,
  };
  let afterCrash = false;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (await createExclusive(lockPath, owner)) return holding(lockPath, owner, afterCrash, options.onLost);
    const found = await readLock(lockPath);
    if (found === 'missing') continue; // released in between
    if ((await judge(lockPath, found, owner, purpose)) === 'replaced') continue;
    await breakStaleLock(lockPath, found, owner);
    afterCrash = true;
  }
  throw new DriftlessError('LOCKED', `Could not take the writer lock for ${purpose}; try again.`);
}

function holding(
  lockPath: string,
  owner: LockOwner,
  afterCrash: boolean,
  onLost: (() => void) | undefined,
): WriterLock {
  let lost = false;
  const stop = startHeartbeat(lockPath, JSON.stringify(owner), owner.heartbeatMs!, () => {
    lost = true;
    onLost?.();
  });
  return {
    release: async () => {
      stop();
      await releaseIfOwned(lockPath, owner);
    },
    get lost() {
      return lost;
    },
    afterCrash,
  };
}

/** 'stale' when the lock found may be broken, 'replaced' when it changed meanwhile; throws LOCKED. */
async function judge(
  lockPath: string,
  found: Exclude<LockFile, 'missing'>,
  self: LockOwner,
  purpose: string,
): Promise<'stale' | 'replaced'> {
  const holder = found.owner;
  if (!holder) return 'stale'; // unreadable: left by an older or crashed writer
  const sameHost = holder.host === self.host;
  if (sameHost && holder.pid === self.pid) {
    throw new DriftlessError(
      'LOCKED',
      `This process is already writing to the data folder; ${purpose} must wait.`,
      { pid: holder.pid, holder: describeHolder(holder, true).replace(/^another/, 'this') },
    );
  }
  const identity = sameHost ? holderIdentity(holder) : 'unknown';
  if (identity === 'gone') return 'stale';
  const heartbeatMs = holder.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const beat = await checkHeartbeat(lockPath, found.text, found.mtimeMs, heartbeatMs);
  if (beat === 'replaced') return 'replaced';
  if (beat === 'fresh') throw busy(holder, sameHost, purpose);
  // Stopped beating: a holder proven alive is hung (taking over could interleave its writes when it
  // wakes); one that is not (another host, a pid that may be reused) is gone.
  if (identity === 'alive') throw hung(holder, heartbeatMs, purpose);
  return 'stale';
}

/**
 * LOCKED for a working holder. `details.holder` names it for waiters ("another Driftless process
 * (pid 123, `driftless serve`: Import ~/notes, holding since 14:02)"); the rest of `details` are
 * its fields, `host` only for another computer's.
 */
function busy(holder: LockOwner, sameHost: boolean, purpose: string): DriftlessError {
  const who = describeHolder(holder, sameHost);
  const where = sameHost ? 'this data folder' : 'this shared data folder';
  return new DriftlessError(
    'LOCKED',
    `${capitalize(who)} is writing to ${where}; ${purpose} must wait until it finishes.`,
    {
      pid: holder.pid,
      ...(sameHost ? {} : { host: holder.host }),
      since: holder.since,
      ...(typeof holder.command === 'string' ? { command: holder.command } : {}),
      ...(typeof holder.purpose === 'string' ? { purpose: holder.purpose } : {}),
      holder: who,
    },
  );
}

/**
 * Who holds a lock, in words: "another Driftless process (pid 123, `driftless serve`: Import
 * ~/notes, holding since 14:02)", or "Driftless on <host> (...)" for another computer's. A lock
 * file is written by other processes (and older versions): fields of the wrong type are left out.
 */
function describeHolder(holder: LockOwner, sameHost: boolean, now = new Date()): string {
  const text = (value: unknown) => (typeof value === 'string' && value.trim() ? sanitize(value) : undefined);
  const command = text(holder.command);
  const purpose = text(holder.purpose);
  const doing = command
    ? `${/^driftless\b/.test(command) ? `\`${command}\`` : command}${purpose ? `: ${purpose}` : ''}`
    : purpose;
  const since = holdingSince(holder.since, now);
  const parts = [
    Number.isInteger(holder.pid) ? `pid ${holder.pid}` : undefined,
    doing,
    since ? `holding since ${since}` : undefined,
  ].filter((part) => part !== undefined);
  const who = sameHost
    ? 'another Driftless process'
    : `Driftless on ${text(holder.host) ?? 'another computer'}`;
  return parts.length > 0 ? `${who} (${parts.join(', ')})` : who;
}

/** "14:02" today, "2026-01-02 03:04" on another day (local time); undefined when unreadable. */
function holdingSince(since: unknown, now: Date): string | undefined {
  if (typeof since !== 'number' || !Number.isFinite(since)) return undefined;
  const at = new Date(since);
  const two = (value: number) => String(value).padStart(2, '0');
  const time = `${two(at.getHours())}:${two(at.getMinutes())}`;
  const day = (date: Date) => `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}`;
  return day(at) === day(now) ? time : `${day(at)} ${time}`;
}

/** Control characters (a crafted lock file) become spaces; long texts are cut. */
function sanitize(value: string): string {
  const clean = value.replace(/[\p{Cc}\p{Cf}]+/gu, ' ').trim();
  return clean.length > 120 ? `${clean.slice(0, 119)}…` : clean;
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The Electron app (its core runs in a utility process) names itself; other processes say nothing. */
function defaultCommand(): string | undefined {
  return process.versions.electron ? 'the Driftless app' : undefined;
}

function hung(holder: LockOwner, heartbeatMs: number, purpose: string): DriftlessError {
  const seconds = Math.round(staleAfterMs(heartbeatMs) / 1000);
  return new DriftlessError(
    'LOCKED',
    `Driftless (pid ${holder.pid}) has held the writer lock of this data folder since ${holdingSince(holder.since, new Date()) ?? 'an unknown time'} but stopped responding over ${seconds} s ago; ${purpose} cannot go on. If that process hangs, end it and try again.`,
    { pid: holder.pid, host: holder.host, since: holder.since, hung: true },
  );
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

/** Removes the stale lock `stale`, unless someone replaced or touched it meanwhile. */
async function breakStaleLock(
  lockPath: string,
  stale: Exclude<LockFile, 'missing'>,
  owner: LockOwner,
): Promise<void> {
  const guard = `${lockPath}.break`;
  if (!(await createExclusive(guard, owner))) {
    await clearAbandonedGuard(guard);
    await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40));
    return;
  }
  try {
    const current = await readLock(lockPath);
    if (current !== 'missing' && current.text === stale.text && current.mtimeMs === stale.mtimeMs)
      await fs.rm(lockPath, { force: true });
  } finally {
    await fs.rm(guard, { force: true });
  }
}

async function clearAbandonedGuard(guard: string): Promise<void> {
  const found = await readLock(guard);
  // A pid names a process only on its own host; a guard from elsewhere goes by its age alone.
  const local = found !== 'missing' && found.owner?.host === os.hostname();
  if (found === 'missing' || (local && isAlive(found.owner!.pid))) return;
  const stats = await fs.stat(guard).catch(() => undefined); // removed meanwhile: nothing to clear
  if (stats && Date.now() - stats.mtimeMs > STALE_GUARD_MS) await fs.rm(guard, { force: true });
}

async function readLock(file: string): Promise<LockFile> {
  let text: string;
  let mtimeMs: number;
  try {
    [text, { mtimeMs }] = await Promise.all([fs.readFile(file, 'utf8'), fs.stat(file)]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  try {
    return { text, owner: JSON.parse(text) as LockOwner, mtimeMs };
  } catch {
    return { text, owner: undefined, mtimeMs };
  }
}

async function releaseIfOwned(lockPath: string, owner: LockOwner): Promise<void> {
  const found = await readLock(lockPath);
  if (found !== 'missing' && found.text === JSON.stringify(owner)) await fs.rm(lockPath, { force: true });
}

/**
 * What this host says of a same-host holder: 'gone' (no process under its pid, or one that started
 * at another time: the pid was reused), 'alive' (its pid runs and started when the holder did), or
 * 'unknown' (its pid runs, but start times cannot be compared: not Linux, or an older lock).
 */
function holderIdentity(holder: LockOwner): 'gone' | 'alive' | 'unknown' {
  if (!isAlive(holder.pid)) return 'gone';
  if (holder.started === undefined) return 'unknown';
  const started = processStartMs(holder.pid);
  if (started === undefined) return 'unknown';
  return Math.abs(started - holder.started) < START_TOLERANCE_MS ? 'alive' : 'gone';
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
