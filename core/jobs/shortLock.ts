import { setTimeout as sleep } from 'node:timers/promises';
import { DriftlessError } from '../base/index.ts';
import { acquireWriterLock, type WriterLock } from './writerLock.ts';

/** How long a caller waits for a short lock before it gives up (the holders' work takes milliseconds). */
const SHORT_WAIT_MS = 15_000;
const FIRST_PAUSE_MS = 2;

export interface WaitOptions {
  /** Give up (LOCKED) after this long; default: wait until the holder releases or dies. */
  waitMs?: number;
  /** Longest pause between two tries (default 1 s); the pauses grow from 2 ms. */
  longestPauseMs?: number;
  /** Stops waiting with CANCELLED (a job's signal). */
  signal?: AbortSignal;
  /** Told once, when the lock is found held: what the caller waits for (for progress). */
  onWait?: (holder: string) => void;
}

/**
 * Takes the lock file `lockPath` as acquireWriterLock does, but while another process (or another
 * caller in this process) holds it, waits until it is released or its holder dies, instead of
 * refusing. Two `driftless add` at once, or the command line while the app imports, then take turns.
 *
 * @throws DriftlessError LOCKED once `waitMs` passed or the holder hangs (alive, its heartbeat
 * stopped), CANCELLED when `signal` aborts.
 */
export async function waitForLock(
  lockPath: string,
  purpose: string,
  options: WaitOptions = {},
): Promise<WriterLock> {
  const deadline = Date.now() + (options.waitMs ?? Number.POSITIVE_INFINITY);
  let told = false;
  for (let pause = FIRST_PAUSE_MS; ; pause = Math.min(pause * 2, options.longestPauseMs ?? 1_000)) {
    if (options.signal?.aborted)
      throw new DriftlessError('CANCELLED', `Stopped waiting to write: ${purpose}.`);
    try {
      return await acquireWriterLock(lockPath, purpose);
    } catch (error) {
      if (!(error instanceof DriftlessError) || error.code !== 'LOCKED' || Date.now() >= deadline)
        throw error;
      // A holder that is alive but stopped responding may never release: say so now, not never.
      if (error.details?.hung === true) throw error;
      if (!told) options.onWait?.(holderOf(error));
      told = true;
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
  const { pid, host } = error.details ?? {};
  if (typeof pid !== 'number') return 'another Driftless process';
  return typeof host === 'string'
    ? `Driftless on ${host} (pid ${pid})`
    : `another Driftless process (pid ${pid})`;
}
