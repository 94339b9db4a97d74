import type { AffineMap } from '../affineMap.ts';
import type { KindFitter } from '../selectionContext.ts';
import type { CompensatorKind, CompensatorParams } from '../types.ts';

/** The parameters of `kind` (linear and affine share one shape). */
export type ParamsOf<K extends CompensatorKind> = CompensatorParams extends infer P
  ? P extends { kind: infer PK }
    ? K extends PK
      ? P
      : never
    : never
  : never;

/**
 * Everything Driftless does with one compensator kind, in one place: how it is fitted, applied,
 * composed, stored and checked. A new kind is one file in this folder and one line in index.ts.
 */
export interface KindDefinition<P extends CompensatorParams> {
  /** Fits the kind on a train/validation split and refits it on all pairs; absent for kinds only composed or given. */
  fitter?: KindFitter;
  /** The raw (unnormalised) image of x, computed in Float64. */
  map(params: P, dims: number, x: ArrayLike<number>): Float64Array;
  /** x -> map(inner(x)) as one affine map. */
  composeAffine(params: P, inner: AffineMap): AffineMap;
  /** The Float32 arrays of the parameters with the length each must have, by name: stored and checked. */
  arrays(params: P, dims: number): [string, Float32Array, number][];
  /** Numbers stored beside the arrays in a file's content (a rank). */
  fields?(params: P): { rank?: number };
  /** Why numbers beside the arrays cannot describe a map of `dims`; the arrays are checked from `arrays`. */
  problem?(params: P, dims: number): string | undefined;
  /** The parameters as a file's content stores them. */
  decode(stored: StoredParams<P['kind']>): P;
}

/** A file's content as a kind reads it back: its arrays by name and the numbers beside them. */
export interface StoredParams<K> {
  kind: K;
  rank?: number | undefined;
  /** The array of that name; CORRUPT when missing or not whole Float32 values. */
  array(name: string): Float32Array;
  /** Throws CORRUPT saying why. */
  corrupt(reason: string): never;
}
