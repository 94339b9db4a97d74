import { describe, expect, it } from 'vitest';
import type { JobInfo } from '../service/contract.ts';
import { SteadyEta } from './steadyEta.ts';

describe('SteadyEta', () => {
  it('estimates from the steady clock, whatever the wall clock said', () => {
    let now = 1000;
    const eta = new SteadyEta(() => now);
    const job: JobInfo = {
      id: 'j',
      kind: 'import',
      state: 'running',
      label: 'Import',
      done: 0,
      etaSeconds: undefined,
    };
    expect(eta.apply(job)).toEqual(job);
    now += 10_000;
    // The queue's wall-clock estimate after the clock was set back a day.
    const fromQueue = { ...job, done: 25, total: 100, etaSeconds: -86_000 };
    expect(eta.apply(fromQueue).etaSeconds).toBeCloseTo(30);
    expect(eta.apply({ ...fromQueue, state: 'finished', etaSeconds: undefined }).etaSeconds).toBeUndefined();
    now += 10_000;
    // A new run under the same id starts its own clock.
    expect(eta.apply({ ...fromQueue, done: 0, etaSeconds: undefined }).etaSeconds).toBeUndefined();
    now += 5_000;
    expect(eta.apply({ ...fromQueue, done: 50, etaSeconds: 1 }).etaSeconds).toBeCloseTo(5);
  });
});
