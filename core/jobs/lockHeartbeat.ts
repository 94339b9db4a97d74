import fs from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Heartbeats of the writer lock (the idea of `proper-lockfile`): its holder touches the lock file's
 * mtime every `heartbeatMs`, so others can tell a working holder from one that died on another host,
 * whose pid is reused, or whose event loop hangs, none of which a pid check can see.
 *
 * Staleness is never decided from the wall clock alone: clocks jump (NTP, a manual change) and two
 * hosts sharing a drive disagree. An mtime close to now proves a fresh lock at once; any other mtime
 * is only a suspicion, settled by watching the file on this process's monotonic clock.
 */

/** Heartbeat interval of a holder that does not name one (a lock written by an older version). */
export const DEFAULT_HEARTBEAT_MS = 5_000;
/** A heartbeat younger than this many intervals is fresh; the watch lasts as many intervals. */
const INTERVALS = 4;

/**
 * The holder's side: touches `file` while it still holds `text`; returns a stop function. `onLost`
 * is told once if the lock is replaced or removed under a holder that did not release it: someone
 * took it over after this process stalled past the bound, so this one must stop writing.
 */
export function startHeartbeat(
  file: string,
  text: string,
  heartbeatMs: number,
  onLost: () => void,
): () => void {
  let stopped = false;
  const stop = () => {
    stopped = true;
    clearInterval(timer);
  };
  const beat = async () => {
    try {
      // Taken over: never refresh the new holder's lock.
      if ((await fs.readFile(file, 'utf8')) !== text) return lost();
      const now = new Date();
      await fs.utimes(file, now, now);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return lost();
      // Unwritable (a read-only share): the lock goes stale, and others take it over only after
      // watching it stand still, which is then the truth.
      stop();
    }
  };
  const lost = () => {
    if (stopped) return; // released meanwhile: the lock is gone because this process removed it
    stop();
    onLost();
  };
  const timer = setInterval(() => void beat(), heartbeatMs);
  timer.unref(); // a held lock must not keep a finished process alive
  return stop;
}

/** What watching a lock file showed: its heartbeat moved, it stood still, or it was replaced. */
export type Heartbeat = 'fresh' | 'stopped' | 'replaced';

/**
 * Whether the lock file `file` (holding `text`, last touched at `mtimeMs`) still has a live holder
 * beating every `heartbeatMs`. Returns 'fresh' at once when the mtime is recent on the wall clock;
 * otherwise watches the file for INTERVALS heartbeats of monotonic time.
 */
export async function checkHeartbeat(
  file: string,
  text: string,
  mtimeMs: number,
  heartbeatMs: number,
): Promise<Heartbeat> {
  const interval = clampInterval(heartbeatMs);
  if (Math.abs(Date.now() - mtimeMs) < INTERVALS * interval) return 'fresh';
  const end = performance.now() + INTERVALS * interval;
  while (performance.now() < end) {
    await sleep(Math.max(1, interval / 4));
    const seen = await observe(file);
    if (seen === undefined || seen.text !== text) return 'replaced';
    if (seen.mtimeMs !== mtimeMs) return 'fresh';
  }
  return 'stopped';
}

/** How long a holder stays unrefreshed before it counts as stopped: for messages. */
export function staleAfterMs(heartbeatMs: number): number {
  return INTERVALS * clampInterval(heartbeatMs);
}

async function observe(file: string): Promise<{ text: string; mtimeMs: number } | undefined> {
  try {
    const [text, stats] = await Promise.all([fs.readFile(file, 'utf8'), fs.stat(file)]);
    return { text, mtimeMs: stats.mtimeMs };
  } catch {
    return undefined;
  }
}

/** A lock file is written by other processes: a garbage interval must neither hang nor spin us. */
function clampInterval(heartbeatMs: number): number {
  return Number.isFinite(heartbeatMs) ? Math.min(Math.max(heartbeatMs, 10), 60_000) : DEFAULT_HEARTBEAT_MS;
}
