import { percentile, round } from './stats.ts';

/** One search as a searcher saw it: when it ended (ms since the epoch) and its latency (null: it failed). */
export type SearchSample = [atMs: number, latencyMs: number | null];

/** Latencies of one stretch of the run. */
export interface LatencyWindow {
  /** Seconds since the load started, at the window's start. */
  fromS: number;
  searches: number;
  errors: number;
  p50Ms?: number;
  p95Ms?: number;
  p99Ms?: number;
}

/** p50, p95 and p99 of a sample in ms (rounded to 0.1 ms), absent when empty. */
export function percentiles(latencies: readonly number[]) {
  return {
    p50Ms: round(percentile(latencies, 50), 1),
    p95Ms: round(percentile(latencies, 95), 1),
    p99Ms: round(percentile(latencies, 99), 1),
  };
}

/** Groups searches into windows of `windowSeconds` counted from `startMs`, with their percentiles. */
export function latencyWindows(
  samples: readonly SearchSample[],
  startMs: number,
  windowSeconds: number,
): LatencyWindow[] {
  const slots = new Map<number, { latencies: number[]; errors: number }>();
  for (const [atMs, latency] of samples) {
    const slot = Math.max(0, Math.floor((atMs - startMs) / 1000 / windowSeconds));
    const entry = slots.get(slot) ?? { latencies: [], errors: 0 };
    if (latency === null) entry.errors++;
    else entry.latencies.push(latency);
    slots.set(slot, entry);
  }
  return [...slots]
    .sort(([a], [b]) => a - b)
    .map(([slot, entry]) => ({
      fromS: round(slot * windowSeconds, 1)!,
      searches: entry.latencies.length,
      errors: entry.errors,
      ...percentiles(entry.latencies),
    }));
}
