import { gramOfRows, multiply, transpose } from '../dense.ts';
import { orthonormaliseRows } from '../gramSchmidt.ts';
import { symmetricEigen } from '../symmetricEigen.ts';

/**
 * The route `orthogonalPolar` took before it used an SVD, kept only as the reference that tests and
 * `bench:train --procrustes` compare against: it squares C's condition number (eig of C^T C).
 *
 * The orthogonal polar factor R = U V^T of a square matrix C = U S V^T: the rotation that best
 * matches C (it maximises trace(R^T C)), i.e. the orthogonal Procrustes solution.
 *
 * V and S^2 come from the symmetric eigen-decomposition of C^T C; U's columns are C v / s. Columns
 * whose singular value is negligible (rank-deficient C, e.g. fewer pairs than dimensions) are
 * completed to an orthonormal basis, and all of U is re-orthonormalised so that R is orthogonal to
 * machine precision even where squaring the singular values lost accuracy.
 */
export function eigenPolar(c: Float64Array, n: number): Float64Array {
  const { values, vectors } = symmetricEigen(gramOfRows(c, n, n), n);
  const uRows = multiply(vectors, transpose(c, n, n), n, n, n); // row i = (C v_i)^T
  const tolerance = Math.sqrt(Math.max(values[0] ?? 0, 0)) * n * 1e-10;
  for (let i = 0; i < n; i++) {
    const singular = Math.sqrt(Math.max(values[i]!, 0));
    const row = uRows.subarray(i * n, i * n + n);
    if (singular > tolerance) row.forEach((value, k) => (row[k] = value / singular));
    else row.set(vectors.subarray(i * n, i * n + n));
  }
  orthonormaliseRows(uRows, n, n);
  return multiply(transpose(uRows, n, n), vectors, n, n, n);
}
