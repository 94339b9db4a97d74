import { describe, expect, it } from 'vitest';
import { crossProduct, multiply, transpose } from './dense.ts';
import { orthogonalPolar } from './orthogonalPolar.ts';
import { eigenPolar } from './testing/eigenPolar.ts';
import { Rng, randomRotation } from './testing/syntheticDrift.ts';

function orthogonalityError(r: Float64Array, n: number): number {
  const gram = multiply(r, transpose(r, n, n), n, n, n);
  let max = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) max = Math.max(max, Math.abs(gram[i * n + j]! - (i === j ? 1 : 0)));
  }
  return max;
}

function maxDifference(a: Float64Array, b: Float64Array): number {
  return a.reduce((max, value, i) => Math.max(max, Math.abs(value - b[i]!)), 0);
}

/** C = Q P with P = W diag(s) W^T symmetric positive semi-definite: its polar factor is exactly Q. */
function rotatedSpd(rng: Rng, n: number, singular: (i: number) => number) {
  const q = randomRotation(rng, n);
  const w = randomRotation(rng, n);
  const scaled = w.map((value, at) => value * singular(at % n));
  const p = multiply(scaled, transpose(w, n, n), n, n, n);
  return { q, c: multiply(q, p, n, n, n) };
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

  it('recovers Q where C is ill-conditioned, which the eigen route through C^T C gets wrong', () => {
    // The smallest singular value (1e-13) squares to 1e-26, below rounding of C^T C: eig then picks
    // the sign of U's last column at random. The polar factor itself is well-conditioned (it
    // depends on the sum of the two smallest singular values, here 1e-2).
    const n = 30;
    const { q, c } = rotatedSpd(new Rng(7), n, (i) => (i === n - 1 ? 1e-13 : i === n - 2 ? 1e-2 : 1 - i / n));
    expect(maxDifference(orthogonalPolar(c, n), q)).toBeLessThan(1e-12);
    expect(maxDifference(eigenPolar(c, n), q)).toBeGreaterThan(0.1);
  });

  it('agrees with the eigen route on a well-conditioned C', () => {
    const n = 40;
    const c = Float64Array.from(new Rng(9).normalVector(n * n));
    expect(maxDifference(orthogonalPolar(c, n), eigenPolar(c, n))).toBeLessThan(1e-10);
  });

  it('maps a zero matrix to an orthogonal matrix', () => {
    expect(orthogonalityError(orthogonalPolar(new Float64Array(25), 5), 5)).toBeLessThan(1e-12);
  });
});
