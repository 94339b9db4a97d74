import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { PhaseClock, TRAIN_PHASES } from './phaseClock.ts';

/** Spins until `ms` have passed on the clock, so each phase has measurable time. */
function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('PhaseClock', () => {
  it('counts a nested phase once: the outer phase pauses while it runs', async () => {
    const clock = new PhaseClock();
    const start = performance.now();
    await clock.time('forward', async () => {
      spin(2);
      await clock.time('yield', () => Promise.resolve(spin(3)));
      clock.timeSync('batch', () => spin(1));
      spin(2);
    });
    const wall = performance.now() - start;
    const phases = clock.read();
    expect(Object.keys(phases)).toEqual([...TRAIN_PHASES]);
    expect(phases.yield).toBeGreaterThanOrEqual(3);
    expect(phases.batch).toBeGreaterThanOrEqual(1);
    expect(phases.forward).toBeGreaterThanOrEqual(4);
    expect(phases.checkpoint).toBe(0);
    // Were the inner phases also counted in `forward`, the sum would pass the wall time.
    const sum = Object.values(phases).reduce((a, b) => a + b, 0);
    expect(sum).toBeLessThanOrEqual(wall + 1e-6);
  });
});
