import { setTimeout as sleep } from 'node:timers/promises';
import { DriftlessError } from '../base/index.ts';
import { acquireWriterLock } from './writerLock.ts';

/** How long a caller waits for a short lock before it gives up (the holders' work takes milliseconds). */
const DEFAULT_WAIT_MS = 15_000;
const FIRST_PAUSE_MS = 2;
const LONGEST_PAUSE_MS = 100;

/**
 * Runs `fn` while holding the lock file `lockPath`, waiting while another process or another caller
 * in this process holds it. For read-modify-write updates of small files (the folder list) that
 * several processes change at once: each update is quick, so waiting is right where the long-lived
 * writer lock refuses. Locks left by dead processes are taken over as in acquireWriterLock.
 *
 * @throws DriftlessError LOCKED when the lock stayed held for `waitMs`.
 */
export async function withShortLock<T>(
  lockPath: string,
  purpose: string,
  fn: () => Promise<T>,
  options: { waitMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (options.waitMs ?? DEFAULT_WAIT_MS);
  for (let pause = FIRST_PAUSE_MS; ; pause = Math.min(pause * 2, LONGEST_PAUSE_MS)) {
    const lock = await acquireWriterLock(lockPath, purpose).catch((error: unknown) => {
      if (error instanceof DriftlessError && error.code === 'LOCKED' && Date.now() < deadline)
        return undefined;
      throw error;
    });
    if (lock) {
      try {
        return await fn();
      } finally {
        await lock.release();
      }
    }
    // Random jitter so that waiting callers do not retry in lockstep.
    await sleep(pause * (0.5 + Math.random()));
  }
}
