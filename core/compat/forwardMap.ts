import { Compensator, normalise } from './compensator.ts';
import { fitCompensators, type FitResult } from './fitCompensators.ts';
import type { FitOptions } from './types.ts';

/**
 * A map of an older version's *stored document vectors* into the current version's space, so that
 * every row of a mixed index is scored by one query vector, in one space, at one scale. Unlike a
 * query-side compensator (current -> old), it carries what the current version learned about
 * documents to rows it never embedded, and it makes their cosines comparable with native rows.
 *
 * Searching a segment of old vectors d with the query q needs q . (A d + b) for the affine map
 * x -> A x + b: that is (A^T q) . d plus a constant per query, so `searchVector` gives an index the
 * vector to rank the segment's candidates with, and `score` then rescores each candidate exactly as
 * the cosine of q with its mapped, renormalised vector.
 */
export class ForwardMap {
  readonly map: Compensator;
  readonly #matrix: Float64Array;

  constructor(map: Compensator) {
    this.map = map;
    this.#matrix = map.toAffine().matrix;
  }

  /** The older version whose stored vectors this map takes. */
  get fromVersion(): string {
    return this.map.fromVersion;
  }

  /** The current version whose space it maps into. */
  get toVersion(): string {
    return this.map.toVersion;
  }

  /** A^T q, unit length: ranks stored vectors of `fromVersion` as q ranks their images. */
  searchVector(query: ArrayLike<number>): Float32Array {
    const dims = this.map.dims;
    const out = new Float64Array(dims);
    // A^T q is the sum of A's rows weighted by q: one pass over A in memory order.
    for (let i = 0; i < dims; i++) {
      const qi = query[i]!;
      const row = i * dims;
      for (let j = 0; j < dims; j++) out[j]! += qi * this.#matrix[row + j]!;
    }
    return normalise(out);
  }

  /** The stored vector's image in the current space, unit length. */
  image(stored: ArrayLike<number>): Float32Array {
    return this.map.apply(stored);
  }

  /** Cosine of a current-space query with the stored vector's image. */
  score(query: ArrayLike<number>, stored: ArrayLike<number>): number {
    const image = this.image(stored);
    let sum = 0;
    for (let i = 0; i < image.length; i++) sum += query[i]! * image[i]!;
    return sum;
  }
}

/** Anchor texts embedded by both versions: the stored vectors and the current version's. */
export interface AnchorPairs {
  stored: readonly Float32Array[];
  current: readonly Float32Array[];
}

/**
 * Fits the direct map from `fromVersion`'s stored vectors to `toVersion`'s vectors of the same
 * texts, choosing the kind (mean, Procrustes, low-rank, ridge) on a held-out split of the anchors.
 * Direct maps from each old version to the current one avoid the error that chains accumulate.
 */
export async function fitForwardMap(
  anchors: AnchorPairs,
  options: FitOptions & { fromVersion: string; toVersion: string },
  signal?: AbortSignal,
): Promise<{ map: ForwardMap; fit: FitResult }> {
  // fitCompensators maps its `newVecs` onto its `oldVecs`; here the stored vectors are the input.
  const fit = await fitCompensators({ newVecs: anchors.stored, oldVecs: anchors.current }, options, signal);
  return { map: new ForwardMap(fit.best), fit };
}
