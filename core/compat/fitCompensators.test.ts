import { describe, expect, it } from 'vitest';
import { DriftlessError } from '../base/index.ts';
import type { Compensator } from './compensator.ts';
import { multiply, transpose } from './dense.ts';
import { fitCompensators } from './fitCompensators.ts';
import { scoreCompensator } from './scoreCompensator.ts';
import {
  Rng,
  embeddingLikeVectors,
  lowRankPerturbation,
  randomRotation,
  transformVectors,
} from './testing/syntheticDrift.ts';

const DIMS = 48;
const PAIRS = 600;

/** Mean cosine between mapped new vectors and their old partners on pairs the fit never saw. */
function heldOutCosine(compensator: Compensator, newVecs: Float32Array[], oldVecs: Float32Array[]): number {
  let sum = 0;
  newVecs.forEach((v, i) => {
    const mapped = compensator.apply(v);
    const old = oldVecs[i]!;
    sum += mapped.reduce((acc, value, k) => acc + value * old[k]!, 0) / Math.hypot(...old);
  });
  return sum / newVecs.length;
}

/** Old vectors, and new vectors made from them by the transform; plus a fresh test set. */
function scenario(seed: number, transform: Parameters<typeof transformVectors>[2], pairs = PAIRS) {
  const rng = new Rng(seed);
  const old = embeddingLikeVectors(rng, pairs, DIMS);
  const freshOld = embeddingLikeVectors(rng, 200, DIMS);
  return {
    pairs: { newVecs: transformVectors(rng, old, transform), oldVecs: old },
    fresh: { newVecs: transformVectors(rng, freshOld, transform), oldVecs: freshOld },
  };
}

function frobenius(values: ArrayLike<number>): number {
  return Math.sqrt(Array.from(values).reduce((sum, value) => sum + value * value, 0));
}

describe('fitCompensators', () => {
  it('recovers a pure rotation with procrustes, near-exactly, and retrieval beats the unmapped baseline', async () => {
    const rotation = randomRotation(new Rng(100), DIMS);
    const { pairs, fresh } = scenario(1, { matrix: rotation });
    const result = await fitCompensators(pairs, { fromVersion: 'v1', toVersion: 'v0' });
    expect(result.bestKind).toBe('procrustes');
    const params = result.best.params;
    if (params.kind !== 'procrustes') throw new Error('expected procrustes');
    // new = Q old, so the map back is Q^T.
    const expected = transpose(rotation, DIMS, DIMS);
    expect(Math.max(...params.rotation.map((value, i) => Math.abs(value - expected[i]!)))).toBeLessThan(1e-4);
    const r = Float64Array.from(params.rotation);
    const gram = multiply(r, transpose(r, DIMS, DIMS), DIMS, DIMS, DIMS);
    for (let i = 0; i < DIMS; i++) gram[i * DIMS + i]! -= 1;
    expect(Math.max(...gram.map(Math.abs))).toBeLessThan(1e-4);
    expect(heldOutCosine(result.best, fresh.newVecs, fresh.oldVecs)).toBeGreaterThan(0.9999);
    expect(result.baseline.mrr).toBeLessThan(0.3);
    expect(result.scores.procrustes!.mrr).toBeGreaterThan(0.99);
    expect(result.scores.procrustes!.recallAt1).toBeGreaterThan(0.99);
    expect(result.scores.mean!.mrr).toBeLessThan(result.scores.procrustes!.mrr);
    expect(result.best.fromVersion).toBe('v1');
    expect(result.best.fit).toMatchObject({ fittedPairs: PAIRS, validationPairs: 120 });
  });

  it('recovers a rotation plus translation with procrustes on unseen vectors', async () => {
    const rng = new Rng(101);
    const shift = rng.normalVector(DIMS, 0.3 / Math.sqrt(DIMS));
    const { pairs, fresh } = scenario(2, { matrix: randomRotation(rng, DIMS), shift });
    const result = await fitCompensators(pairs);
    expect(result.bestKind).toBe('procrustes');
    expect(heldOutCosine(result.best, fresh.newVecs, fresh.oldVecs)).toBeGreaterThan(0.9999);
    expect(result.scores.procrustes!.mrr).toBeGreaterThan(result.baseline.mrr + 0.5);
    const unseen = scoreCompensator(result.best, fresh);
    expect(unseen.recallAt1).toBeGreaterThan(0.99);
    expect(unseen.pairs).toBe(fresh.newVecs.length);
  });

  it('recovers a pure shift with the mean compensator (the paper QDC)', async () => {
    const shift = new Rng(102).normalVector(DIMS, 0.5 / Math.sqrt(DIMS));
    const { pairs, fresh } = scenario(3, { shift });
    const result = await fitCompensators(pairs);
    expect(result.bestKind).toBe('mean');
    const params = result.best.params;
    if (params.kind !== 'mean') throw new Error('expected mean');
    expect(Math.max(...params.drift.map((value, i) => Math.abs(value - shift[i]!)))).toBeLessThan(1e-5);
    expect(heldOutCosine(result.best, fresh.newVecs, fresh.oldVecs)).toBeGreaterThan(0.99999);
    expect(result.scores.mean!.meanCosine).toBeGreaterThan(result.baseline.meanCosine);
  });

  it('recovers a noisy low-rank linear drift with lowrank or linear, better than mean and procrustes', async () => {
    const matrix = lowRankPerturbation(new Rng(103), DIMS, 3, 0.5);
    const { pairs, fresh } = scenario(4, { matrix, noise: 0.01 / Math.sqrt(DIMS) }, 900);
    const result = await fitCompensators(pairs);
    expect(['lowrank', 'linear']).toContain(result.bestKind);
    const errorOf = (kind: 'mean' | 'procrustes' | 'lowrank' | 'linear') =>
      1 - result.scores[kind]!.meanCosine;
    expect(errorOf('lowrank')).toBeLessThan(errorOf('procrustes') / 3);
    expect(errorOf('linear')).toBeLessThan(errorOf('mean') / 3);
    for (const kind of ['lowrank', 'linear'] as const) {
      const { best } = await fitCompensators(pairs, { kinds: [kind] });
      // The learned map undoes the drift: A (I + E) is close to the identity.
      const { matrix: learned } = best.toAffine();
      const product = multiply(learned, matrix, DIMS, DIMS, DIMS);
      for (let i = 0; i < DIMS; i++) product[i * DIMS + i]! -= 1;
      const perturbation = Float64Array.from(matrix, (value, i) => value - (i % (DIMS + 1) === 0 ? 1 : 0));
      expect(frobenius(product) / frobenius(perturbation)).toBeLessThan(0.1);
      expect(heldOutCosine(best, fresh.newVecs, fresh.oldVecs)).toBeGreaterThan(0.999);
    }
  });

  it('beats the paper mean drift on a realistic drift (shift, low-rank change, noise, re-normalised)', async () => {
    const rng = new Rng(104);
    const transform = {
      matrix: lowRankPerturbation(rng, DIMS, 6, 0.4),
      shift: rng.normalVector(DIMS, 0.3 / Math.sqrt(DIMS)),
      noise: 0.05 / Math.sqrt(DIMS),
      normalise: true,
    };
    const { pairs, fresh } = scenario(5, transform, 1000);
    const result = await fitCompensators(pairs);
    const { best: meanOnly } = await fitCompensators(pairs, { kinds: ['mean'] });
    expect(result.bestKind).not.toBe('mean');
    const unmapped = heldOutCosine(
      { apply: (v: Float32Array) => v } as unknown as Compensator,
      fresh.newVecs,
      fresh.oldVecs,
    );
    const qdc = heldOutCosine(meanOnly, fresh.newVecs, fresh.oldVecs);
    expect(qdc).toBeGreaterThan(unmapped);
    expect(heldOutCosine(result.best, fresh.newVecs, fresh.oldVecs)).toBeGreaterThan(qdc);
  });

  it('stays finite and helps with fewer pairs than dimensions', async () => {
    const rng = new Rng(105);
    const { pairs, fresh } = scenario(
      6,
      { matrix: lowRankPerturbation(rng, DIMS, 2, 0.3), shift: rng.normalVector(DIMS, 0.02) },
      30,
    );
    const result = await fitCompensators(pairs);
    for (const scores of Object.values(result.scores)) expect(Number.isFinite(scores.meanCosine)).toBe(true);
    const mapped = result.best.apply(fresh.newVecs[0]!);
    expect(mapped.every(Number.isFinite)).toBe(true);
    expect(Math.hypot(...mapped)).toBeCloseTo(1, 5);
  });

  it('is deterministic for a seed, honours the kinds option and reports progress', async () => {
    const { pairs } = scenario(7, { shift: new Rng(106).normalVector(DIMS, 0.05) }, 100);
    const phases: number[] = [];
    const onProgress = (progress: { done: number }) => phases.push(progress.done);
    const first = await fitCompensators(pairs, { kinds: ['mean', 'lowrank'], seed: 9, onProgress });
    const second = await fitCompensators(pairs, { kinds: ['mean', 'lowrank'], seed: 9 });
    expect(Object.keys(first.scores).sort()).toEqual(['lowrank', 'mean']);
    expect(first.scores).toEqual(second.scores);
    expect(phases).toEqual([0, 1, 2, 3]);
  });

  it('refuses bad input and stops when aborted', async () => {
    const { pairs } = scenario(8, {}, 20);
    const codeOf = (promise: Promise<unknown>) =>
      promise.then(
        () => 'resolved',
        (error: DriftlessError) => error.code,
      );
    expect(await codeOf(fitCompensators({ newVecs: pairs.newVecs, oldVecs: pairs.oldVecs.slice(1) }))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(
      await codeOf(
        fitCompensators({ newVecs: pairs.newVecs.slice(0, 3), oldVecs: pairs.oldVecs.slice(0, 3) }),
      ),
    ).toBe('INVALID_ARGUMENT');
    const withNaN = pairs.newVecs.map((v, i) => (i === 4 ? Float32Array.from(v, () => NaN) : v));
    expect(await codeOf(fitCompensators({ newVecs: withNaN, oldVecs: pairs.oldVecs }))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(await codeOf(fitCompensators(pairs, { validationFraction: 1 }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(fitCompensators(pairs, {}, AbortSignal.abort()))).toBe('CANCELLED');
  });
});
