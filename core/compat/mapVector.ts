import { kindOf } from './kinds/index.ts';
import type { CompensatorParams } from './types.ts';

/** The raw (unnormalised) image of x under a compensator's map, computed in Float64. */
export function mapVector(params: CompensatorParams, dims: number, x: ArrayLike<number>): Float64Array {
  return kindOf(params).map(params, dims, x);
}
