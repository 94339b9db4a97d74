/** A progress report from long work (import, embedding, training). UIs derive bars and ETA from it. */
export interface Progress {
  /** What is being done, e.g. 'scan', 'embed', 'train'. */
  phase: string;
  done: number;
  /** Undefined while the total is still unknown (e.g. during a scan). */
  total?: number;
  /** A short human detail such as the current file. */
  detail?: string;
}

export type ProgressListener = (progress: Progress) => void;

/** Remaining seconds from a start time and progress so far; undefined until it can be estimated. */
export function estimateEtaSeconds(
  startedAtMs: number,
  done: number,
  total: number | undefined,
  nowMs = Date.now(),
): number | undefined {
  if (total === undefined || done <= 0 || done > total) return undefined;
  const elapsed = (nowMs - startedAtMs) / 1000;
  return (elapsed / done) * (total - done);
}

/** A listener that passes on only some reports; `flush` passes on the last one it held back. */
export interface ThrottledProgress {
  report: ProgressListener;
  flush(): void;
}

/**
 * Work may report every unit (each file found, each note read) and let this decide what is sent on:
 * a report passes when its phase or total differs from the last one passed, when it completes its
 * total, or once `intervalMs` has passed since the last one passed; the others are held back, the
 * newest replacing older ones, until `flush`. So a window sees a count that moves while the work
 * moves, without an event per file when thousands go by in a second.
 */
export function throttleProgress(
  listener: ProgressListener,
  options: { intervalMs?: number; now?: () => number } = {},
): ThrottledProgress {
  const intervalMs = options.intervalMs ?? 250;
  const now = options.now ?? (() => performance.now());
  let last: { progress: Progress; atMs: number } | undefined;
  let held: Progress | undefined;
  const pass = (progress: Progress, atMs: number) => {
    last = { progress, atMs };
    held = undefined;
    listener(progress);
  };
  return {
    report(progress) {
      const atMs = now();
      const passes =
        last === undefined ||
        progress.phase !== last.progress.phase ||
        progress.total !== last.progress.total ||
        progress.done === progress.total ||
        atMs - last.atMs >= intervalMs;
      if (passes) pass(progress, atMs);
      else held = progress;
    },
    flush() {
      if (held) pass(held, now());
    },
  };
}
