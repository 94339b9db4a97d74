import { identity, multiplyVector } from './dense.ts';
import { kindOf } from './kinds/index.ts';
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
  return kindOf(params).composeAffine(params, inner);
}

/** Applies an affine map to a vector. */
export function applyAffine(map: AffineMap, x: ArrayLike<number>): Float64Array {
  const out = multiplyVector(map.matrix, map.dims, map.dims, x);
  for (let i = 0; i < map.dims; i++) out[i]! += map.bias[i]!;
  return out;
}
