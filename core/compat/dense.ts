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
  return multiply(transpose(a, n, p), b, p, n, q);
}

/** A^T A for a sample matrix A (n x p), filling one triangle and mirroring it (half the work). */
export function gramOfRows(a: Float64Array, n: number, p: number): Float64Array {
  const at = transpose(a, n, p);
  const out = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    const row = at.subarray(i * n, (i + 1) * n);
    for (let j = i; j < p; j++) {
      const other = at.subarray(j * n, (j + 1) * n);
      const sum = dot(row, other, n);
      out[i * p + j] = sum;
      out[j * p + i] = sum;
    }
  }
  return out;
}

/** x . y over the first n entries, with four partial sums to keep the FPU pipeline busy. */
function dot(x: Float64Array, y: Float64Array, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < n; k += 4) {
    s0 += x[k]! * y[k]!;
    s1 += x[k + 1]! * y[k + 1]!;
    s2 += x[k + 2]! * y[k + 2]!;
    s3 += x[k + 3]! * y[k + 3]!;
  }
  for (; k < n; k++) s0 += x[k]! * y[k]!;
  return s0 + s1 + s2 + s3;
}

/**
 * The product of an m x k matrix and a k x n matrix. The inner dimension is taken four at a time:
 * fewer passes over each output row roughly halve the time in plain JavaScript.
 */
export function multiply(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const o = i * n;
    const aBase = i * k;
    let p = 0;
    for (; p + 3 < k; p += 4) {
      const a0 = a[aBase + p]!;
      const a1 = a[aBase + p + 1]!;
      const a2 = a[aBase + p + 2]!;
      const a3 = a[aBase + p + 3]!;
      const b0 = p * n;
      const b1 = b0 + n;
      const b2 = b1 + n;
      const b3 = b2 + n;
      for (let j = 0; j < n; j++)
        out[o + j]! += a0 * b[b0 + j]! + a1 * b[b1 + j]! + a2 * b[b2 + j]! + a3 * b[b3 + j]!;
    }
    for (; p < k; p++) {
      const aip = a[aBase + p]!;
      const bBase = p * n;
      for (let j = 0; j < n; j++) out[o + j]! += aip * b[bBase + j]!;
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
