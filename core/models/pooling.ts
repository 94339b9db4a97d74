export type Pooling = 'mean' | 'cls';

/**
 * Sentence vectors from token states [rows, length, hidden]: the masked mean of real tokens, or the
 * first ([CLS]) token.
 */
export function poolTokenStates(
  states: Float32Array,
  mask: Uint8Array,
  rows: number,
  length: number,
  hidden: number,
  pooling: Pooling,
): Float32Array[] {
  const vectors: Float32Array[] = [];
  for (let r = 0; r < rows; r++) {
    const rowStart = r * length * hidden;
    if (pooling === 'cls') {
      vectors.push(states.slice(rowStart, rowStart + hidden));
      continue;
    }
    const sum = new Float32Array(hidden);
    let count = 0;
    for (let t = 0; t < length; t++) {
      if (mask[r * length + t] === 0) continue;
      count++;
      const offset = rowStart + t * hidden;
      for (let h = 0; h < hidden; h++) sum[h] = (sum[h] as number) + (states[offset + h] as number);
    }
    vectors.push(sum.map((v) => v / Math.max(count, 1)));
  }
  return vectors;
}

/** Splits [rows, hidden] into one vector per row. */
export function splitRows(values: Float32Array, rows: number, hidden: number): Float32Array[] {
  return Array.from({ length: rows }, (_, r) => values.slice(r * hidden, (r + 1) * hidden));
}

/** Scales a vector to unit length in place (a zero vector stays zero). */
export function normalizeL2(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const v of vector) norm += v * v;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] as number) / norm;
  return vector;
}
