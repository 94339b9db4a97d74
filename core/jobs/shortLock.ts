import { setTimeout as sleep } from 'node:timers/promises';
import { DriftlessError } from '../base/index.ts';
import { acquireWriterLock, capitalize, type WriterLock } from './writerLock.ts';

/** How long a caller waits for a short lock before it gives up (the holders' work takes milliseconds). */
const SHORT_WAIT_MS = 15_000;
const FIRST_PAUSE_MS = 2;

export interface WaitOptions {
  /**
   * Give up after this long (LOCKED naming the holder, `details.gaveUp`); default: wait until the
   * holder releases or dies. A holder that keeps beating but never finishes (a stuck job) would
   * otherwise keep its waiters waiting for good.
   */
  waitMs?: number;
  /** Longest pause between two tries (default 1 s); the pauses grow from 2 ms. */
  longestPauseMs?: number;
  /** Stops waiting with CANCELLED (a job's signal). */
  signal?: AbortSignal;
  /**
   * Told when the lock is found held, and again when another holder has it: who holds it, e.g.
   * "another Driftless process (pid 123, `driftless serve`: Import ~/notes, holding since 14:02)".
   */
  onWait?: (holder: string) => void;
  /** What this process is, written into the lock it takes (see LockOptions.command). */
  command?: string;
}

/**
 * Takes the lock file `lockPath` as acquireWriterLock does, but while another process (or another
 * caller in this process) holds it, waits until it is released or its holder dies, instead of
 * refusing. Two `driftless add` at once, or the command line while the app imports, then take turns.
 *
 * @throws DriftlessError LOCKED once `waitMs` passed (naming the holder, `details.gaveUp`) or the
 * holder hangs (alive, its heartbeat stopped), CANCELLED when `signal` aborts.
 */
export async function waitForLock(
  lockPath: string,
  purpose: string,
  options: WaitOptions = {},
): Promise<WriterLock> {
  const waitMs = options.waitMs ?? Number.POSITIVE_INFINITY;
  // The monotonic clock: a wall-clock jump must neither end the wait early nor stretch it.
  const deadline = performance.now() + waitMs;
  let told: string | undefined;
  for (let pause = FIRST_PAUSE_MS; ; pause = Math.min(pause * 2, options.longestPauseMs ?? 1_000)) {
    if (options.signal?.aborted)
      throw new DriftlessError('CANCELLED', `Stopped waiting to write: ${purpose}.`);
    try {
      return await acquireWriterLock(lockPath, purpose, options.command ? { command: options.command } : {});
    } catch (error) {
      if (!(error instanceof DriftlessError) || error.code !== 'LOCKED') throw error;
      // A holder that is alive but stopped responding may never release: say so now, not never.
      if (error.details?.hung === true) throw error;
      if (performance.now() >= deadline) throw gaveUp(error, waitMs);
      const holder = holderOf(error);
      if (holder !== told) options.onWait?.(holder);
      told = holder;
    }
    // Random jitter so that waiting callers do not retry in lockstep. An abort only cuts the pause
    // short: the next try sees the signal and throws CANCELLED.
    await sleep(pause * (0.5 + Math.random()), undefined, { signal: options.signal }).catch(() => undefined);
  }
}

/**
 * Runs `fn` while holding the lock file `lockPath`, waiting (up to 15 s by default) while someone
 * else holds it. For read-modify-write updates of small files (the folder list) that several
 * processes change at once: each update takes milliseconds.
 *
 * @throws DriftlessError LOCKED when the lock stayed held for `waitMs`.
 */
export async function withShortLock<T>(
  lockPath: string,
  purpose: string,
  fn: () => Promise<T>,
  options: { waitMs?: number } = {},
): Promise<T> {
  const lock = await waitForLock(lockPath, purpose, {
    waitMs: options.waitMs ?? SHORT_WAIT_MS,
    longestPauseMs: 100,
  });
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}

function holderOf(error: DriftlessError): string {
  const { holder } = error.details ?? {};
  return typeof holder === 'string' ? holder : 'another Driftless process';
}

/** LOCKED after waiting `waitMs` for a holder that is still writing: who, since when, what to do. */
function gaveUp(error: DriftlessError, waitMs: number): DriftlessError {
  const holder = holderOf(error);
  const shared = typeof error.details?.host === 'string' ? 'shared ' : '';
  return new DriftlessError(
    'LOCKED',
    `${capitalize(holder)} is still writing to this ${shared}data folder; gave up waiting after ${duration(waitMs)}. Try again when it finishes.`,
    { ...error.details, waitedMs: waitMs, gaveUp: true },
  );
}

/** "0.5 s", "45 s", "10 min", "1 h 30 min". */
export function duration(ms: number): string {
  if (ms < 10_000) return `${Math.round(ms / 100) / 10} s`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  return minutes % 60 === 0 ? `${minutes / 60} h` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
