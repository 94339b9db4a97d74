/** Helpers the kinds share. */

export const f32 = (values: ArrayLike<number>) => Float32Array.from(values);

/** target += addend, element by element; returns target. */
export function addInPlace(target: Float64Array, addend: ArrayLike<number>): Float64Array {
  for (let i = 0; i < target.length; i++) target[i]! += addend[i]!;
  return target;
}

/** A hyperparameter chosen on validation, which the final refit must have. */
export function requireHyper(value: number | undefined): number {
  if (value === undefined) throw new Error('Missing hyperparameter for the refit.');
  return value;
}
