import { columnMeans, crossProduct, gramOfRows } from './dense.ts';

/** Row-stacked paired vectors: x holds the new versions, y the old ones. */
export interface PairRows {
  n: number;
  dims: number;
  x: Float64Array;
  y: Float64Array;
}

/**
 * Sums of paired vectors and of their outer products, taken about fixed shift points so that the
 * centred second moments do not suffer cancellation when the embeddings share a large mean
 * direction (sentence embeddings usually do). Moments over disjoint sets with the same shift add.
 */
export interface PairMoments {
  n: number;
  dims: number;
  shiftX: Float64Array;
  shiftY: Float64Array;
  sumX: Float64Array;
  sumY: Float64Array;
  /** sum (x - shiftX)(x - shiftX)^T */
  xx: Float64Array;
  /** sum (x - shiftX)(y - shiftY)^T */
  xy: Float64Array;
}

/** Centred statistics: means, X_c^T X_c (gram) and X_c^T Y_c (cross), all dims x dims. */
export interface CentredMoments {
  n: number;
  dims: number;
  meanX: Float64Array;
  meanY: Float64Array;
  gram: Float64Array;
  cross: Float64Array;
}

/** Shift points for moments: the means of a (training) set. */
export function meanShift(rows: PairRows): { shiftX: Float64Array; shiftY: Float64Array } {
  return { shiftX: columnMeans(rows.x, rows.n, rows.dims), shiftY: columnMeans(rows.y, rows.n, rows.dims) };
}

/** Moments of a set of pairs about the given shift points. */
export function pairMoments(rows: PairRows, shiftX: Float64Array, shiftY: Float64Array): PairMoments {
  const { n, dims } = rows;
  const x = shifted(rows.x, n, dims, shiftX);
  const y = shifted(rows.y, n, dims, shiftY);
  return {
    n,
    dims,
    shiftX,
    shiftY,
    sumX: columnSums(x, n, dims),
    sumY: columnSums(y, n, dims),
    xx: gramOfRows(x, n, dims),
    xy: crossProduct(x, y, n, dims, dims),
  };
}

/** Moments of the union of two disjoint sets taken about the same shift points. */
export function addMoments(a: PairMoments, b: PairMoments): PairMoments {
  const add = (p: Float64Array, q: Float64Array) => Float64Array.from(p, (value, i) => value + q[i]!);
  return {
    ...a,
    n: a.n + b.n,
    sumX: add(a.sumX, b.sumX),
    sumY: add(a.sumY, b.sumY),
    xx: add(a.xx, b.xx),
    xy: add(a.xy, b.xy),
  };
}

/** Means and centred second moments: S - n m m^T, where m (the offset of the mean) is small. */
export function centre(moments: PairMoments): CentredMoments {
  const { n, dims, sumX, sumY } = moments;
  const offsetX = sumX.map((value) => value / n);
  const offsetY = sumY.map((value) => value / n);
  const gram = Float64Array.from(moments.xx);
  const cross = Float64Array.from(moments.xy);
  for (let i = 0; i < dims; i++) {
    for (let j = 0; j < dims; j++) {
      gram[i * dims + j]! -= n * offsetX[i]! * offsetX[j]!;
      cross[i * dims + j]! -= n * offsetX[i]! * offsetY[j]!;
    }
  }
  const meanX = offsetX.map((value, i) => value + moments.shiftX[i]!);
  const meanY = offsetY.map((value, i) => value + moments.shiftY[i]!);
  return { n, dims, meanX, meanY, gram, cross };
}

function shifted(x: Float64Array, n: number, dims: number, shift: Float64Array): Float64Array {
  return Float64Array.from(x, (value, index) => value - shift[index % dims]!);
}

function columnSums(x: Float64Array, n: number, dims: number): Float64Array {
  return columnMeans(x, n, dims).map((mean) => mean * n);
}
