/** Nearest-rank percentile (p in [0, 100]) of a sample; undefined for an empty sample. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

/** Latency summary of a sample of durations in milliseconds. */
export function latencySummary(valuesMs: readonly number[]) {
  const mean = valuesMs.length === 0 ? undefined : valuesMs.reduce((a, b) => a + b, 0) / valuesMs.length;
  return {
    samples: valuesMs.length,
    p50Ms: round(percentile(valuesMs, 50)),
    p95Ms: round(percentile(valuesMs, 95)),
    meanMs: round(mean),
  };
}

/** Items per second; undefined when nothing was timed. */
export function perSecond(count: number, elapsedMs: number): number | undefined {
  return elapsedMs > 0 ? round(count / (elapsedMs / 1000)) : undefined;
}

/** a / b, or undefined when either side is missing or b is 0. */
export function ratio(a: number | null | undefined, b: number | null | undefined): number | undefined {
  return a === undefined || a === null || b === undefined || b === null || b === 0
    ? undefined
    : round(a / b, 4);
}

/** Rounds for reports (default 3 decimals); passes undefined through. */
export function round(value: number | undefined, digits = 3): number | undefined {
  if (value === undefined) return undefined;
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
