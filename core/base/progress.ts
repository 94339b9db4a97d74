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
