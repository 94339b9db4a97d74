import { describe, expect, it } from 'vitest';
import { DriftlessError } from '../base/index.ts';
import { Compensator } from './compensator.ts';
import { composeChain } from './composeChain.ts';
import { randomCompensator } from './testing/randomCompensators.ts';
import { Rng, unit } from './testing/syntheticDrift.ts';
import type { FittedKind } from './types.ts';

const DIMS = 24;

function chainOf(rng: Rng, kinds: FittedKind[]): Compensator[] {
  const top = kinds.length;
  return kinds.map((kind, i) => randomCompensator(rng, kind, DIMS, `v${top - i}`, `v${top - i - 1}`));
}

function sequential(chain: Compensator[], v: Float32Array): Float64Array {
  return chain.reduce<Float64Array>((x, step) => step.map(x), Float64Array.from(v));
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

const KINDS: FittedKind[] = ['mean', 'linear', 'procrustes', 'lowrank'];

describe('composeChain', () => {
  it.each(KINDS.flatMap((a) => KINDS.map((b) => [a, b, 'procrustes'] as FittedKind[])))(
    'composing %s -> %s -> %s equals applying the three steps in turn',
    (...kinds) => {
      const rng = new Rng(kinds.join().length * 31 + KINDS.indexOf(kinds[0]!));
      const chain = chainOf(rng, kinds);
      const composed = composeChain(chain);
      expect(composed).toMatchObject({ fromVersion: 'v3', toVersion: 'v0', kind: 'affine' });
      for (let trial = 0; trial < 5; trial++) {
        const query = unit(rng.normalVector(DIMS));
        const expected = sequential(chain, query);
        expect(maxDifference(composed.map(query), expected)).toBeLessThan(1e-5);
        const normalised = Float64Array.from(expected, (value) => value / Math.hypot(...expected));
        expect(maxDifference(composed.apply(query), normalised)).toBeLessThan(1e-5);
      }
    },
  );

  it('keeps a chain of mean drifts a mean drift whose drifts add up (the paper)', () => {
    const rng = new Rng(8);
    const chain = chainOf(rng, ['mean', 'mean', 'mean']);
    const composed = composeChain(chain);
    expect(composed.kind).toBe('mean');
    const query = unit(rng.normalVector(DIMS));
    expect(maxDifference(composed.map(query), sequential(chain, query))).toBeLessThan(1e-6);
  });

  it('treats identity steps as no change', () => {
    const rng = new Rng(9);
    const step = randomCompensator(rng, 'linear', DIMS, 'v1', 'v0');
    const composed = composeChain([Compensator.identity(DIMS, 'v2', 'v1'), step]);
    const query = unit(rng.normalVector(DIMS));
    expect(maxDifference(composed.map(query), step.map(query))).toBeLessThan(1e-6);
    expect(composeChain([Compensator.identity(DIMS, 'v1')]).kind).toBe('identity');
  });

  it('refuses an empty chain, a gap between versions and mixed dimensions', () => {
    const rng = new Rng(10);
    const codeOf = (run: () => unknown) => {
      try {
        run();
        return 'ok';
      } catch (error) {
        return (error as DriftlessError).code;
      }
    };
    expect(codeOf(() => composeChain([]))).toBe('INVALID_ARGUMENT');
    const a = randomCompensator(rng, 'mean', DIMS, 'v3', 'v2');
    const b = randomCompensator(rng, 'mean', DIMS, 'v1', 'v0');
    expect(codeOf(() => composeChain([a, b]))).toBe('INVALID_ARGUMENT');
    const c = randomCompensator(rng, 'mean', DIMS + 1, 'v2', 'v1');
    expect(codeOf(() => composeChain([a, c]))).toBe('INVALID_ARGUMENT');
  });
});

describe('composeChain on fitted compensators', () => {
  it('maps queries of the newest of three versions into the oldest space', async () => {
    const { fitCompensators } = await import('./fitCompensators.ts');
    const { embeddingLikeVectors, randomRotation, transformVectors } = await import(
      './testing/syntheticDrift.ts'
    );
    const rng = new Rng(12);
    const dims = 32;
    const v0 = embeddingLikeVectors(rng, 400, dims);
    const toV1 = { shift: rng.normalVector(dims, 0.05) };
    const toV2 = { matrix: randomRotation(rng, dims) };
    const v1 = transformVectors(rng, v0, toV1);
    const v2 = transformVectors(rng, v1, toV2);
    const { best: step21 } = await fitCompensators(
      { newVecs: v2, oldVecs: v1 },
      { fromVersion: 'v2', toVersion: 'v1' },
    );
    const { best: step10 } = await fitCompensators(
      { newVecs: v1, oldVecs: v0 },
      { fromVersion: 'v1', toVersion: 'v0' },
    );
    const composed = composeChain([step21, step10]);
    const fresh0 = embeddingLikeVectors(rng, 20, dims);
    const fresh2 = transformVectors(rng, transformVectors(rng, fresh0, toV1), toV2);
    fresh2.forEach((query, i) => {
      const mapped = composed.apply(query);
      expect(maxDifference(composed.map(query), step10.map(step21.map(query)))).toBeLessThan(1e-5);
      expect(mapped.reduce((sum, value, k) => sum + value * fresh0[i]![k]!, 0)).toBeGreaterThan(0.9999);
    });
  });
});
