import type { CompensatorParams } from './types.ts';

/** The Float32 arrays of a parameter set with the length each must have, by name. */
export function paramArrays(params: CompensatorParams, dims: number): [string, Float32Array, number][] {
  const square = dims * dims;
  switch (params.kind) {
    case 'identity':
      return [];
    case 'mean':
      return [['drift', params.drift, dims]];
    case 'linear':
    case 'affine':
      return [
        ['matrix', params.matrix, square],
        ['bias', params.bias, dims],
      ];
    case 'procrustes':
      return [
        ['rotation', params.rotation, square],
        ['newMean', params.newMean, dims],
        ['oldMean', params.oldMean, dims],
      ];
    case 'lowrank':
      return [
        ['u', params.u, dims * params.rank],
        ['v', params.v, dims * params.rank],
        ['newMean', params.newMean, dims],
        ['oldMean', params.oldMean, dims],
      ];
  }
}

/** Why a parameter set cannot describe a map of the given dims, or undefined when it can. */
export function paramsProblem(params: CompensatorParams, dims: number): string | undefined {
  if (!Number.isInteger(dims) || dims < 1) return `dims must be a positive integer, got ${dims}`;
  if (
    params.kind === 'lowrank' &&
    !(Number.isInteger(params.rank) && params.rank >= 1 && params.rank <= dims)
  ) {
    return `rank must be an integer in 1..${dims}, got ${params.rank}`;
  }
  for (const [name, values, length] of paramArrays(params, dims)) {
    if (values.length !== length) return `${name} has ${values.length} values, expected ${length}`;
    if (!values.every(Number.isFinite)) return `${name} holds a non-finite value`;
  }
  return undefined;
}
