import { multiply, transpose } from './dense.ts';
import type { CompatibilityScores } from './types.ts';

/** Retrieval scoring compares every held-out pair with every other; cap the pool to stay fast. */
export const RETRIEVAL_POOL_LIMIT = 512;

/**
 * How well predicted old-space vectors match the true old vectors (rows of n x dims matrices).
 * Mean cosine uses every pair; the retrieval scores search the first RETRIEVAL_POOL_LIMIT true
 * old vectors with each predicted vector and look at the rank of its own partner.
 */
export function compatibilityScores(
  predicted: Float64Array,
  actual: Float64Array,
  n: number,
  dims: number,
): CompatibilityScores {
  const p = normaliseRows(predicted, n, dims);
  const a = normaliseRows(actual, n, dims);
  const pool = Math.min(n, RETRIEVAL_POOL_LIMIT);
  const similarity = multiply(
    p.subarray(0, pool * dims),
    transpose(a.subarray(0, pool * dims), pool, dims),
    pool,
    dims,
    pool,
  );
  let hits1 = 0;
  let hits10 = 0;
  let reciprocal = 0;
  for (let i = 0; i < pool; i++) {
    const rank = rankOfPartner(similarity.subarray(i * pool, (i + 1) * pool), i);
    if (rank === 1) hits1++;
    if (rank <= 10) hits10++;
    reciprocal += 1 / rank;
  }
  const perPool = (count: number) => (pool > 0 ? count / pool : 0);
  return {
    meanCosine: meanOfRowCosines(p, a, n, dims),
    recallAt1: perPool(hits1),
    recallAt10: perPool(hits10),
    mrr: perPool(reciprocal),
    pairs: n,
  };
}

/** The mean cosine between corresponding rows: the cheap score that tunes hyperparameters. */
export function meanCosine(predicted: Float64Array, actual: Float64Array, n: number, dims: number): number {
  return meanOfRowCosines(normaliseRows(predicted, n, dims), normaliseRows(actual, n, dims), n, dims);
}

function meanOfRowCosines(p: Float64Array, a: Float64Array, n: number, dims: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += rowDot(p, i, a, i, dims);
  // Clamped: rounding can push a perfect match a hair past 1.
  return n > 0 ? Math.min(1, Math.max(-1, sum / n)) : 0;
}

/** 1 + the number of pool vectors strictly more similar to the query than its own partner. */
function rankOfPartner(similarities: Float64Array, own: number): number {
  const ownScore = similarities[own]!;
  let rank = 1;
  for (let j = 0; j < similarities.length; j++) if (similarities[j]! > ownScore) rank++;
  return rank;
}

function rowDot(p: Float64Array, i: number, a: Float64Array, j: number, dims: number): number {
  let sum = 0;
  const pBase = i * dims;
  const aBase = j * dims;
  for (let k = 0; k < dims; k++) sum += p[pBase + k]! * a[aBase + k]!;
  return sum;
}

function normaliseRows(x: Float64Array, n: number, dims: number): Float64Array {
  const out = Float64Array.from(x);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let k = 0; k < dims; k++) sum += out[i * dims + k]! ** 2;
    const scale = sum > 0 ? 1 / Math.sqrt(sum) : 0;
    for (let k = 0; k < dims; k++) out[i * dims + k]! *= scale;
  }
  return out;
}

/** Orders scores: higher MRR first, then higher mean cosine. Positive when a beats b. */
export function compareScores(a: CompatibilityScores, b: CompatibilityScores): number {
  return a.mrr - b.mrr || a.meanCosine - b.meanCosine;
}
