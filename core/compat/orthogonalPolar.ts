import { Matrix, SingularValueDecomposition } from 'ml-matrix';

/**
 * The orthogonal polar factor R = U V^T of a square matrix C = U S V^T: the rotation that best
 * matches C (it maximises trace(R^T C)), i.e. the orthogonal Procrustes solution.
 *
 * U and V come from the SVD of C itself (ml-matrix: Golub-Kahan bidiagonalisation and implicit QR,
 * as in LAPACK's dgesvd / JAMA), never from eig(C^T C): squaring C squares its condition number,
 * which loses the directions of small singular values and the sign of U's columns there. For a
 * rank-deficient C (fewer pairs than dimensions) the SVD still returns orthonormal U and V, so R
 * is orthogonal and optimal: any completion of the null space gives the same trace.
 */
export function orthogonalPolar(c: Float64Array, n: number): Float64Array {
  if (n === 0) return new Float64Array(0);
  const svd = new SingularValueDecomposition(toMatrix(c, n), { autoTranspose: false });
  const rotation = svd.leftSingularVectors.mmul(svd.rightSingularVectors.transpose());
  return Float64Array.from(rotation.to1DArray());
}

function toMatrix(c: Float64Array, n: number): Matrix {
  const rows = Array.from({ length: n }, (_, i) => Array.from(c.subarray(i * n, (i + 1) * n)));
  return new Matrix(rows);
}
