import { describe, expect, it } from 'vitest';
import { latencyWindows, percentiles } from './loadWindows.ts';

describe('latencyWindows', () => {
  it('groups searches by window from the start and counts failures apart', () => {
    const start = 1_000_000;
    const windows = latencyWindows(
      [
        [start + 100, 5],
        [start + 900, 7],
        [start + 1500, null],
        [start + 2500, 20],
      ],
      start,
      1,
    );
    expect(windows).toEqual([
      { fromS: 0, searches: 2, errors: 0, p50Ms: 5, p95Ms: 7, p99Ms: 7 },
      { fromS: 1, searches: 0, errors: 1 },
      { fromS: 2, searches: 1, errors: 0, p50Ms: 20, p95Ms: 20, p99Ms: 20 },
    ]);
  });

  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentiles(values)).toEqual({ p50Ms: 50, p95Ms: 95, p99Ms: 99 });
  });
});
