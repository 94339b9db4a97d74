import { describe, expect, it } from 'vitest';
import { speedups, type ConfigurationResult } from './trainPhases.ts';

function configuration(msPerStep: number, phases: Record<string, number>): ConfigurationResult {
  return {
    backend: 'wasm',
    reason: 'test',
    stepsPerSecond: 1000 / msPerStep,
    msPerStep,
    phases: Object.fromEntries(
      Object.entries(phases).map(([phase, ms]) => [phase, { msPerStep: ms, share: ms / msPerStep }]),
    ),
    untimedMsPerStep: 0,
  };
}

describe('speedups', () => {
  it('divides steps/s current over baseline, and each phase baseline over current', () => {
    const baseline = configuration(2000, { forward: 500, backward: 1500, checkpoint: 0 });
    const current = configuration(500, { forward: 100, backward: 400, checkpoint: 0 });
    expect(speedups(baseline, current)).toEqual({
      stepsPerSecond: 4,
      // A phase the current configuration spent no time in has no ratio.
      phases: { forward: 5, backward: 3.75, checkpoint: null },
    });
  });
});
