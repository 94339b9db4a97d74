import { kindOf } from './kinds/index.ts';
import type { CompensatorParams } from './types.ts';

/** The Float32 arrays of a parameter set with the length each must have, by name. */
export function paramArrays(params: CompensatorParams, dims: number): [string, Float32Array, number][] {
  return kindOf(params).arrays(params, dims);
}

/** Why a parameter set cannot describe a map of the given dims, or undefined when it can. */
export function paramsProblem(params: CompensatorParams, dims: number): string | undefined {
  if (!Number.isInteger(dims) || dims < 1) return `dims must be a positive integer, got ${dims}`;
  const problem = kindOf(params).problem?.(params, dims);
  if (problem) return problem;
  for (const [name, values, length] of paramArrays(params, dims)) {
    if (values.length !== length) return `${name} has ${values.length} values, expected ${length}`;
    if (!values.every(Number.isFinite)) return `${name} holds a non-finite value`;
  }
  return undefined;
}
