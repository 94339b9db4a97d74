import { describe, expect, it } from 'vitest';
import { crossProduct, multiply, transpose } from './dense.ts';
import { orthogonalPolar } from './orthogonalPolar.ts';
import { Rng, randomRotation } from './testing/syntheticDrift.ts';

function orthogonalityError(r: Float64Array, n: number): number {
  const gram = multiply(r, transpose(r, n, n), n, n, n);
  let max = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) max = Math.max(max, Math.abs(gram[i * n + j]! - (i === j ? 1 : 0)));
  }
  return max;
}

function traceOfProduct(r: Float64Array, c: Float64Array): number {
  return r.reduce((sum, value, i) => sum + value * c[i]!, 0); // trace(R^T C)
}

describe('orthogonalPolar', () => {
  it('returns Q exactly for C = Q P with P symmetric positive definite', () => {
    const n = 30;
    const rng = new Rng(11);
    const q = randomRotation(rng, n);
    const samples = rng.normalVector(60 * n);
    const p = crossProduct(samples, samples, 60, n, n);
    const r = orthogonalPolar(multiply(q, p, n, n, n), n);
    expect(Math.max(...r.map((value, i) => Math.abs(value - q[i]!)))).toBeLessThan(1e-10);
  });

  it('stays orthogonal and optimal for a rank-deficient C (fewer pairs than dimensions)', () => {
    const n = 32;
    const rng = new Rng(5);
    const a = rng.normalVector(6 * n);
    const b = rng.normalVector(6 * n);
    const c = crossProduct(a, b, 6, n, n); // rank 6
    const r = orthogonalPolar(c, n);
    expect(orthogonalityError(r, n)).toBeLessThan(1e-10);
    const best = traceOfProduct(r, c);
    expect(best).toBeGreaterThanOrEqual(traceOfProduct(randomRotation(rng, n), c));
    expect(best).toBeGreaterThanOrEqual(
      c.reduce((sum, value, i) => sum + (i % (n + 1) === 0 ? value : 0), 0),
    );
  });

  it('maps a zero matrix to an orthogonal matrix', () => {
    expect(orthogonalityError(orthogonalPolar(new Float64Array(25), 5), 5)).toBeLessThan(1e-12);
  });
});
