import { describe, expect, it } from 'vitest';
import { latencySummary, percentile, perSecond, ratio, round } from './stats.ts';

describe('stats', () => {
  it('takes nearest-rank percentiles', () => {
    const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 95)).toBe(10);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeUndefined();
  });

  it('summarises latencies', () => {
    expect(latencySummary([10, 20, 30, 40])).toEqual({ samples: 4, p50Ms: 20, p95Ms: 40, meanMs: 25 });
    expect(latencySummary([])).toEqual({ samples: 0, p50Ms: undefined, p95Ms: undefined, meanMs: undefined });
  });

  it('computes rates, ratios and rounding without dividing by zero', () => {
    expect(perSecond(500, 2000)).toBe(250);
    expect(perSecond(5, 0)).toBeUndefined();
    expect(ratio(3, 4)).toBe(0.75);
    expect(ratio(3, 0)).toBeUndefined();
    expect(ratio(undefined, 2)).toBeUndefined();
    expect(round(1 / 3)).toBe(0.333);
    expect(round(2 / 3, 4)).toBe(0.6667);
  });
});
