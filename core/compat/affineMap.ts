import { identity, multiply, multiplyVector } from './dense.ts';
import { mapVector } from './mapVector.ts';
import type { CompensatorParams } from './types.ts';

/** x -> matrix x + bias, in Float64; the materialised form used to compose maps. */
export interface AffineMap {
  dims: number;
  /** dims x dims, row-major. */
  matrix: Float64Array;
  bias: Float64Array;
}

/** The identity as an affine map. */
export function identityAffine(dims: number): AffineMap {
  return { dims, matrix: identity(dims), bias: new Float64Array(dims) };
}

/** x -> f(inner(x)) as one affine map, where f is given by its parameters. */
export function composeAffine(params: CompensatorParams, inner: AffineMap): AffineMap {
  const { dims, matrix, bias } = inner;
  switch (params.kind) {
    case 'identity':
      return inner;
    case 'mean':
      return { dims, matrix, bias: mapVector(params, dims, bias) };
    case 'linear':
    case 'affine':
    case 'procrustes': {
      const outer = params.kind === 'procrustes' ? params.rotation : params.matrix;
      return {
        dims,
        matrix: multiply(Float64Array.from(outer), matrix, dims, dims, dims),
        bias: mapVector(params, dims, bias),
      };
    }
    case 'lowrank':
      return { dims, matrix: lowRankTimes(params, matrix, dims), bias: mapVector(params, dims, bias) };
  }
}

/** (I + u v^T) A in O(d^2 r) instead of materialising I + u v^T first. */
function lowRankTimes(
  params: Extract<CompensatorParams, { kind: 'lowrank' }>,
  a: Float64Array,
  dims: number,
): Float64Array {
  const { rank, u, v } = params;
  const vt = new Float64Array(rank * dims);
  for (let i = 0; i < dims; i++) {
    for (let k = 0; k < rank; k++) vt[k * dims + i] = v[i * rank + k]!;
  }
  const projected = multiply(vt, a, rank, dims, dims); // v^T A, rank x dims
  return Float64Array.from(a, (value, index) => {
    const row = Math.floor(index / dims);
    const col = index - row * dims;
    let sum = value;
    for (let k = 0; k < rank; k++) sum += u[row * rank + k]! * projected[k * dims + col]!;
    return sum;
  });
}

/** Applies an affine map to a vector. */
export function applyAffine(map: AffineMap, x: ArrayLike<number>): Float64Array {
  const out = multiplyVector(map.matrix, map.dims, map.dims, x);
  for (let i = 0; i < map.dims; i++) out[i]! += map.bias[i]!;
  return out;
}
