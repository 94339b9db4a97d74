import { multiplyVector } from './dense.ts';
import type { CompensatorParams } from './types.ts';

/** The raw (unnormalised) image of x under a compensator's map, computed in Float64. */
export function mapVector(params: CompensatorParams, dims: number, x: ArrayLike<number>): Float64Array {
  switch (params.kind) {
    case 'identity':
      return Float64Array.from(x);
    case 'mean':
      return Float64Array.from(x, (value, i) => value - params.drift[i]!);
    case 'linear':
    case 'affine':
      return addInPlace(multiplyVector(params.matrix, dims, dims, x), params.bias);
    case 'procrustes': {
      const centred = Float64Array.from(x, (value, i) => value - params.newMean[i]!);
      return addInPlace(multiplyVector(params.rotation, dims, dims, centred), params.oldMean);
    }
    case 'lowrank':
      return mapLowRank(params, dims, x);
  }
}

function mapLowRank(
  params: Extract<CompensatorParams, { kind: 'lowrank' }>,
  dims: number,
  x: ArrayLike<number>,
): Float64Array {
  const { rank, u, v } = params;
  const centred = Float64Array.from(x, (value, i) => value - params.newMean[i]!);
  const coefficients = new Float64Array(rank);
  for (let i = 0; i < dims; i++) {
    const xi = centred[i]!;
    for (let k = 0; k < rank; k++) coefficients[k]! += v[i * rank + k]! * xi;
  }
  const out = centred;
  for (let i = 0; i < dims; i++) {
    let sum = params.oldMean[i]!;
    for (let k = 0; k < rank; k++) sum += u[i * rank + k]! * coefficients[k]!;
    out[i]! += sum;
  }
  return out;
}

function addInPlace(target: Float64Array, addend: ArrayLike<number>): Float64Array {
  for (let i = 0; i < target.length; i++) target[i]! += addend[i]!;
  return target;
}
