/**
 * Dense Float64 matrix helpers. Matrices are row-major Float64Arrays; sample matrices hold one
 * vector per row. Accumulation is always in Float64 so fits over thousands of pairs stay accurate.
 */

/** Stacks vectors as the rows of an n x dims matrix. */
export function stackRows(vectors: readonly Float32Array[], dims: number): Float64Array {
  const out = new Float64Array(vectors.length * dims);
  vectors.forEach((vector, row) => out.set(vector, row * dims));
  return out;
}

/** Means of the columns of an n x dims matrix. */
export function columnMeans(x: Float64Array, n: number, dims: number): Float64Array {
  const mean = new Float64Array(dims);
  for (let row = 0; row < n; row++) {
    const base = row * dims;
    for (let j = 0; j < dims; j++) mean[j]! += x[base + j]!;
  }
  for (let j = 0; j < dims; j++) mean[j]! /= Math.max(n, 1);
  return mean;
}

/** Subtracts a vector from every row, in place. */
export function subtractFromRows(x: Float64Array, n: number, dims: number, vector: Float64Array): void {
  for (let row = 0; row < n; row++) {
    const base = row * dims;
    for (let j = 0; j < dims; j++) x[base + j]! -= vector[j]!;
  }
}

/** A^T B for sample matrices A (n x p) and B (n x q): a p x q matrix of summed outer products. */
export function crossProduct(
  a: Float64Array,
  b: Float64Array,
  n: number,
  p: number,
  q: number,
): Float64Array {
  const out = new Float64Array(p * q);
  for (let row = 0; row < n; row++) {
    const aBase = row * p;
    const bBase = row * q;
    for (let i = 0; i < p; i++) {
      const ai = a[aBase + i]!;
      if (ai === 0) continue;
      const outBase = i * q;
      for (let j = 0; j < q; j++) out[outBase + j]! += ai * b[bBase + j]!;
    }
  }
  return out;
}

/** The product of an m x k matrix and a k x n matrix. */
export function multiply(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const outBase = i * n;
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p]!;
      if (aip === 0) continue;
      const bBase = p * n;
      for (let j = 0; j < n; j++) out[outBase + j]! += aip * b[bBase + j]!;
    }
  }
  return out;
}

/** The transpose of a rows x cols matrix. */
export function transpose(a: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j]!;
  }
  return out;
}

/** y = A x for a rows x cols matrix A (any numeric array type). */
export function multiplyVector(
  a: ArrayLike<number>,
  rows: number,
  cols: number,
  x: ArrayLike<number>,
): Float64Array {
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let sum = 0;
    const base = i * cols;
    for (let j = 0; j < cols; j++) sum += a[base + j]! * x[j]!;
    out[i] = sum;
  }
  return out;
}

/** The identity matrix of size dims. */
export function identity(dims: number): Float64Array {
  const out = new Float64Array(dims * dims);
  for (let i = 0; i < dims; i++) out[i * dims + i] = 1;
  return out;
}

/** The Euclidean norm of a vector. */
export function norm(x: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i]! * x[i]!;
  return Math.sqrt(sum);
}
