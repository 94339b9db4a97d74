import { describe, expect, it } from 'vitest';
import { gramOfRows, multiply, transpose } from './dense.ts';
import { symmetricEigen } from './symmetricEigen.ts';
import { Rng } from './testing/syntheticDrift.ts';
import { topRightSingularVectors } from './topSingularVectors.ts';

describe('topRightSingularVectors', () => {
  it('finds the dominant right singular subspace of a low-rank plus noise matrix', () => {
    const n = 60;
    const rank = 5;
    const rng = new Rng(41);
    const left = rng.normalVector(n * rank);
    const right = rng.normalVector(rank * n);
    const e = multiply(left, right, n, rank, n).map((value) => value + 0.01 * rng.normal());
    const found = topRightSingularVectors(e, n, n, rank);
    const exact = symmetricEigen(gramOfRows(e, n, n), n).vectors.slice(0, rank * n);
    // The two bases span the same subspace: the cosines of the principal angles are all ~1.
    const overlap = multiply(found, transpose(exact, rank, n), rank, n, rank);
    const singular = symmetricEigen(gramOfRows(overlap, rank, rank), rank).values;
    for (const value of singular) expect(value).toBeGreaterThan(1 - 1e-8);
    const orthogonality = multiply(found, transpose(found, rank, n), rank, n, rank);
    orthogonality.forEach((value, i) =>
      expect(Math.abs(value - (i % (rank + 1) === 0 ? 1 : 0))).toBeLessThan(1e-10),
    );
  });
});
