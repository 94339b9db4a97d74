import { describe, expect, it } from 'vitest';
import { DriftlessError } from '../base/index.ts';
import { CompensatorChainCache } from './chainCache.ts';
import { composeChain } from './composeChain.ts';
import { randomCompensator } from './testing/randomCompensators.ts';
import { Rng, unit } from './testing/syntheticDrift.ts';

const DIMS = 16;

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

describe('CompensatorChainCache', () => {
  const rng = new Rng(21);
  const steps = [
    randomCompensator(rng, 'procrustes', DIMS, 'v3', 'v2'),
    randomCompensator(rng, 'mean', DIMS, 'v2', 'v1'),
    randomCompensator(rng, 'lowrank', DIMS, 'v1', 'v0'),
  ];

  it('holds a map from the current version into every older version', () => {
    const cache = new CompensatorChainCache();
    expect(cache.setChain(steps)).toBe(true);
    expect(cache.currentVersion).toBe('v3');
    expect(cache.versions()).toEqual(['v3', 'v2', 'v1', 'v0']);
    const query = unit(rng.normalVector(DIMS));
    expect([...cache.get('v3').apply(query)]).toEqual([...query]);
    for (let j = 0; j < steps.length; j++) {
      const map = cache.get(steps[j]!.toVersion);
      expect(map.fromVersion).toBe('v3');
      expect(maxDifference(map.map(query), composeChain(steps.slice(0, j + 1)).map(query))).toBeLessThan(
        1e-6,
      );
    }
    expect(cache.get('v1')).toBe(cache.get('v1'));
  });

  it('keeps its maps for the same chain and drops them when the chain changes', () => {
    const cache = new CompensatorChainCache();
    cache.setChain(steps);
    const before = cache.get('v0');
    expect(cache.setChain([...steps])).toBe(false);
    expect(cache.get('v0')).toBe(before);
    const newer = randomCompensator(rng, 'linear', DIMS, 'v4', 'v3');
    expect(cache.setChain([newer, ...steps])).toBe(true);
    expect(cache.currentVersion).toBe('v4');
    const query = unit(rng.normalVector(DIMS));
    expect(maxDifference(cache.get('v0').map(query), before.map(newer.map(query)))).toBeLessThan(1e-5);
    expect(cache.setChain(steps.slice(1))).toBe(true);
    expect(() => cache.get('v3')).toThrow(DriftlessError);
  });

  it('knows only the current version for an empty chain, and refuses unknown versions', () => {
    const cache = new CompensatorChainCache();
    cache.setChain([], { version: 'v0', dims: DIMS });
    expect(cache.versions()).toEqual(['v0']);
    expect(cache.get('v0').kind).toBe('identity');
    try {
      cache.get('v9');
      expect.unreachable();
    } catch (error) {
      expect((error as DriftlessError).code).toBe('NOT_FOUND');
    }
    cache.clear();
    expect(cache.versions()).toEqual([]);
  });
});

describe('CompensatorChainCache with a bad chain', () => {
  it('refuses a chain that does not start at the current version and keeps the old one', () => {
    const rng = new Rng(22);
    const cache = new CompensatorChainCache();
    const good = [randomCompensator(rng, 'mean', DIMS, 'v1', 'v0')];
    cache.setChain(good);
    const bad = [randomCompensator(rng, 'mean', DIMS, 'v1', 'v0')];
    expect(() => cache.setChain(bad, { version: 'v2', dims: DIMS })).toThrow(DriftlessError);
    expect(cache.versions()).toEqual(['v1', 'v0']);
    expect(cache.get('v0')).toBeDefined();
  });
});
