import { crossProduct, multiply, transpose } from './dense.ts';
import { symmetricEigen } from './symmetricEigen.ts';

/**
 * The orthogonal polar factor R = U V^T of a square matrix C = U S V^T: the rotation that best
 * matches C (it maximises trace(R^T C)), i.e. the orthogonal Procrustes solution.
 *
 * V and S^2 come from the symmetric eigen-decomposition of C^T C; U's columns are C v / s. Columns
 * whose singular value is negligible (rank-deficient C, e.g. fewer pairs than dimensions) are
 * completed to an orthonormal basis, and all of U is re-orthonormalised so that R is orthogonal to
 * machine precision even where squaring the singular values lost accuracy.
 */
export function orthogonalPolar(c: Float64Array, n: number): Float64Array {
  const gram = crossProduct(c, c, n, n, n);
  const { values, vectors } = symmetricEigen(gram, n);
  const cv = multiply(c, transpose(vectors, n, n), n, n, n); // column i = C v_i
  const uRows = transpose(cv, n, n); // row i = C v_i
  const top = Math.sqrt(Math.max(values[0] ?? 0, 0));
  const tolerance = top * n * 1e-10;
  for (let i = 0; i < n; i++) {
    const singular = Math.sqrt(Math.max(values[i]!, 0));
    const row = uRows.subarray(i * n, i * n + n);
    if (singular > tolerance) scaleInPlace(row, 1 / singular);
    else row.set(vectors.subarray(i * n, i * n + n));
  }
  orthonormaliseRows(uRows, n);
  return multiply(transpose(uRows, n, n), vectors, n, n, n);
}

/**
 * Modified Gram-Schmidt, run twice ("twice is enough"), on the rows in order. A row that collapses
 * (it lay in the span of earlier rows) is replaced by the standard basis vector that survives best.
 */
function orthonormaliseRows(rows: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const row = rows.subarray(i * n, i * n + n);
    const kept = projectOut(rows, n, i, row) && projectOut(rows, n, i, row);
    if (!kept) replaceWithBasisVector(rows, n, i);
  }
}

/** Removes the components along rows 0..count-1 and normalises; false when nothing is left. */
function projectOut(rows: Float64Array, n: number, count: number, row: Float64Array): boolean {
  const before = vectorNorm(row);
  for (let j = 0; j < count; j++) {
    const other = rows.subarray(j * n, j * n + n);
    let dot = 0;
    for (let k = 0; k < n; k++) dot += other[k]! * row[k]!;
    for (let k = 0; k < n; k++) row[k]! -= dot * other[k]!;
  }
  const after = vectorNorm(row);
  if (!(after > 1e-6 * before) || after === 0) return false;
  scaleInPlace(row, 1 / after);
  return true;
}

function replaceWithBasisVector(rows: Float64Array, n: number, i: number): void {
  const row = rows.subarray(i * n, i * n + n);
  for (let axis = 0; axis < n; axis++) {
    row.fill(0);
    row[axis] = 1;
    if (projectOut(rows, n, i, row) && projectOut(rows, n, i, row)) return;
  }
  throw new Error('orthogonalPolar: could not complete an orthonormal basis');
}

function vectorNorm(x: Float64Array): number {
  let sum = 0;
  for (let k = 0; k < x.length; k++) sum += x[k]! * x[k]!;
  return Math.sqrt(sum);
}

function scaleInPlace(x: Float64Array, factor: number): void {
  for (let k = 0; k < x.length; k++) x[k]! *= factor;
}
