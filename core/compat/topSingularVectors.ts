import { seededRandom } from '../base/index.ts';
import { multiply, transpose } from './dense.ts';
import { orthonormaliseRows } from './gramSchmidt.ts';
import { symmetricEigen } from './symmetricEigen.ts';

const OVERSAMPLING = 10;
const POWER_ITERATIONS = 5;

/**
 * The top `count` right singular vectors of a rows x cols matrix E (eigenvectors of E^T E), as
 * rows, best first: randomised subspace iteration (Halko, Martinsson & Tropp, 2011), O(cols^2 k)
 * per iteration instead of a full O(cols^3) eigen-decomposition. Deterministic (fixed seed).
 */
export function topRightSingularVectors(
  e: Float64Array,
  rows: number,
  cols: number,
  count: number,
): Float64Array {
  const k = Math.min(count + OVERSAMPLING, cols);
  const random = seededRandom(0x5eed);
  const basis = Float64Array.from({ length: k * cols }, () => random() - 0.5);
  orthonormaliseRows(basis, k, cols);
  const et = transpose(e, rows, cols);
  for (let iteration = 0; iteration < POWER_ITERATIONS; iteration++) {
    const image = multiply(basis, et, k, cols, rows); // rows of (E q_j)^T
    basis.set(multiply(image, e, k, rows, cols)); // rows of (E^T E q_j)^T
    orthonormaliseRows(basis, k, cols);
  }
  const image = multiply(basis, et, k, cols, rows);
  const small = symmetricEigen(multiply(image, transpose(image, k, rows), k, rows, k), k);
  return multiply(small.vectors, basis, k, k, cols).slice(0, Math.min(count, k) * cols);
}
