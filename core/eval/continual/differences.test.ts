import { describe, expect, it } from 'vitest';
import { pairedDifferences, type PerQuery } from './differences.ts';
import type { StageResult } from './types.ts';

const stage = (perQuery: PerQuery): StageResult => ({ stage: 1, perQuery }) as unknown as StageResult;
const setting = (byMethod: Record<string, Record<string, number[]>>): PerQuery => ({
  'per-task': byMethod,
  'app-dense': {},
  'app-hybrid': {},
});

describe('pairedDifferences', () => {
  it('pairs each query with itself: a constant gain has a zero-width interval', () => {
    const frozen = { a: [0.1, 0.5, 0.9], b: [0.2, 0.4] };
    const app = { a: [0.2, 0.6, 1.0], b: [0.3, 0.5] };
    const [d] = pairedDifferences([stage(setting({ frozen, app }))], 1);
    expect(d).toMatchObject({ setting: 'per-task', method: 'app', baseline: 'frozen' });
    expect(d!.mean).toBeCloseTo(0.1, 9);
    expect(d!.low).toBeCloseTo(0.1, 9);
    expect(d!.high).toBeCloseTo(0.1, 9);
  });

  it('averages over tasks as the tables do, and brackets a noisy difference', () => {
    const frozen = { a: [0, 0, 0, 0], b: [0, 0] };
    const app = { a: [1, -1, 1, 1], b: [0, 0] };
    const [d] = pairedDifferences([stage(setting({ frozen, app }))], 1);
    expect(d!.mean).toBeCloseTo((0.5 + 0) / 2, 9);
    expect(d!.low).toBeLessThan(d!.mean);
    expect(d!.high).toBeGreaterThan(d!.mean);
    expect(d!.high).toBeLessThanOrEqual(0.5);
  });

  it('skips comparisons whose methods were not measured', () => {
    expect(pairedDifferences([stage(setting({ frozen: { a: [1] } }))], 1)).toEqual([]);
  });
});
