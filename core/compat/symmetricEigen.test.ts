import { describe, expect, it } from 'vitest';
import { multiply, transpose } from './dense.ts';
import { symmetricEigen } from './symmetricEigen.ts';
import { Rng } from './testing/syntheticDrift.ts';

function randomSymmetric(rng: Rng, n: number): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = rng.normal();
  }
  return a;
}

function maxAbs(values: Float64Array): number {
  return values.reduce((max, value) => Math.max(max, Math.abs(value)), 0);
}

describe('symmetricEigen', () => {
  it('decomposes a random symmetric matrix: A v = lambda v, orthonormal vectors, descending values', () => {
    const n = 40;
    const a = randomSymmetric(new Rng(3), n);
    const { values, vectors } = symmetricEigen(a, n);
    const av = multiply(a, transpose(vectors, n, n), n, n, n); // column i = A v_i
    const residual = Float64Array.from(av, (value, index) => {
      const row = Math.floor(index / n);
      const col = index % n;
      return value - values[col]! * vectors[col * n + row]!;
    });
    expect(maxAbs(residual)).toBeLessThan(1e-10);
    const gram = multiply(vectors, transpose(vectors, n, n), n, n, n);
    for (let i = 0; i < n; i++) gram[i * n + i]! -= 1;
    expect(maxAbs(gram)).toBeLessThan(1e-12);
    for (let i = 1; i < n; i++) expect(values[i]!).toBeLessThanOrEqual(values[i - 1]!);
  });

  it('handles repeated eigenvalues, a zero matrix and a 1x1 matrix', () => {
    const identity = symmetricEigen(Float64Array.from([2, 0, 0, 0, 2, 0, 0, 0, 2]), 3);
    expect([...identity.values]).toEqual([2, 2, 2]);
    const zero = symmetricEigen(new Float64Array(16), 4);
    expect(maxAbs(zero.values)).toBe(0);
    expect(Math.abs(multiply(zero.vectors, transpose(zero.vectors, 4, 4), 4, 4, 4)[5]! - 1)).toBeLessThan(
      1e-15,
    );
    expect([...symmetricEigen(Float64Array.from([-5]), 1).values]).toEqual([-5]);
  });

  it('recovers a known spectrum', () => {
    const { values } = symmetricEigen(Float64Array.from([2, 1, 0, 1, 2, 0, 0, 0, 7]), 3);
    expect(values[0]).toBeCloseTo(7, 12);
    expect(values[1]).toBeCloseTo(3, 12);
    expect(values[2]).toBeCloseTo(1, 12);
  });
});
