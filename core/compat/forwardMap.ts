import {
  AnchorCorrection,
  buildCorrection,
  movedBy,
  selectCorrection,
  type AnchorShare,
  type CorrectionSelection,
} from './anchorCorrection.ts';
import { Compensator, normalise } from './compensator.ts';
import { fitCompensators, type FitResult } from './fitCompensators.ts';
import { splitIndices } from './split.ts';
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
 * the cosine of q with its mapped, renormalised vector. An `AnchorCorrection` then moves each image
 * by what the affine part missed on the nearest anchors; the search vector stays affine, so the
 * correction only reorders the candidates it finds.
 */
export class ForwardMap {
  readonly map: Compensator;
  readonly correction: AnchorCorrection | undefined;
  readonly #matrix: Float64Array;
  readonly #bias: Float64Array;
  /** What scoring a row needs that does not depend on the query, for the rows seen last. */
  readonly #rows = new Map<string, RowGeometry>();

  constructor(map: Compensator, correction?: AnchorCorrection) {
    this.map = map;
    this.correction = correction;
    const affine = map.toAffine();
    this.#matrix = affine.matrix;
    this.#bias = affine.bias;
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
    return normalise(this.#transposeTimes(query));
  }

  // A^T q is the sum of A's rows weighted by q: one pass over A in memory order.
  #transposeTimes(query: ArrayLike<number>): Float64Array {
    const dims = this.map.dims;
    const out = new Float64Array(dims);
    for (let i = 0; i < dims; i++) {
      const qi = query[i]!;
      const row = i * dims;
      for (let j = 0; j < dims; j++) out[j]! += qi * this.#matrix[row + j]!;
    }
    return out;
  }

  /** The stored vector's image in the current space, unit length. */
  image(stored: ArrayLike<number>): Float32Array {
    const image = this.map.apply(stored);
    return this.correction ? this.correction.apply(stored, image) : image;
  }

  /** Cosine of a current-space query with the stored vector's image. */
  score(query: ArrayLike<number>, stored: ArrayLike<number>): number {
    return dot(query, this.image(stored));
  }

  /**
   * Cosines of a current-space query with the images of a segment's candidates (rows by id): every
   * one through the affine part, then the `CORRECTED_CANDIDATES` best of those moved by the anchor
   * correction. Per query this costs two passes over the map; per row what does not depend on the
   * query (its image's length, its anchors' shares) is computed once and kept for the rows seen
   * last, so a search that meets rows again (the next keystroke) scores each in O(dims).
   */
  scoreCandidates(query: ArrayLike<number>, candidates: readonly StoredRow[]): number[] {
    const projected = this.#transposeTimes(query);
    const offset = dot(query, this.#bias);
    const rows = candidates.map((candidate) => this.#geometry(candidate));
    const scores = candidates.map(({ stored }, i) => (dot(projected, stored) + offset) / rows[i]!.row.norm);
    const correction = this.correction;
    if (!correction) return scores;
    const residualDots = correction.residualDots(query);
    const best = [...scores.keys()].sort((a, b) => scores[b]! - scores[a]!).slice(0, CORRECTED_CANDIDATES);
    for (const i of best) {
      const { shares, movedNorm } = this.#moved(candidates[i]!.stored, rows[i]!, correction);
      const moved = shares.reduce((sum, { index, share }) => sum + share * residualDots[index]!, scores[i]!);
      scores[i] = moved / movedNorm;
    }
    return scores;
  }

  /** A row's kept geometry; a row not kept is measured, and its raw image handed on for this query. */
  #geometry({ id, stored }: StoredRow): { row: RowGeometry; image?: Float64Array } {
    const known = this.#rows.get(id);
    if (known && known.check === fingerprint(stored)) {
      // Most recently used last: the oldest row is the first to go.
      this.#rows.delete(id);
      this.#rows.set(id, known);
      return { row: known };
    }
    const image = this.map.map(stored);
    const row: RowGeometry = { check: fingerprint(stored), norm: length(image) };
    this.#rows.set(id, row);
    if (this.#rows.size > KEPT_ROWS) this.#rows.delete(this.#rows.keys().next().value!);
    return { row, image };
  }

  #moved(
    stored: Float32Array,
    { row, image }: { row: RowGeometry; image?: Float64Array },
    correction: AnchorCorrection,
  ) {
    if (!row.moved) {
      const shares = correction.shares(stored);
      const unit = image ? normalise(image) : this.map.apply(stored);
      const moved = movedBy(unit, shares, correction.params.residuals, this.map.dims);
      row.moved = { shares, movedNorm: length(moved) };
    }
    return row.moved;
  }
}

/** A stored row of the map's older version: its id in the index and its vector. */
export interface StoredRow {
  id: string;
  stored: Float32Array;
}

interface RowGeometry {
  /** A cheap sum of the vector, so a row id whose vector changed is never scored with stale geometry. */
  check: number;
  /** |A d + b|. */
  norm: number;
  moved?: { shares: AnchorShare[]; movedNorm: number };
}

/** Rows whose geometry a map keeps (about 1 KB each with a correction). */
const KEPT_ROWS = 8192;

/** The Euclidean length, 1 for a zero vector (which scores 0 either way). */
function length(x: Float64Array): number {
  return Math.sqrt(dot(x, x)) || 1;
}

function fingerprint(vector: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < vector.length; i += 7) sum += vector[i]! * (i + 1);
  return sum;
}

/** How many of a segment's best candidates (by the affine map) the anchor correction rescores. */
export const CORRECTED_CANDIDATES = 60;

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < b.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** Anchor texts embedded by both versions: the stored vectors and the current version's. */
export interface AnchorPairs {
  stored: readonly Float32Array[];
  current: readonly Float32Array[];
  /** The note each anchor belongs to: the correction is validated on notes held out whole. */
  notes?: readonly string[];
}

/** Fewest anchors on each side of the note split for an anchor correction to be tried. */
const MIN_CORRECTION_ANCHORS = 16;

/**
 * Fits the direct map from `fromVersion`'s stored vectors to `toVersion`'s vectors of the same
 * texts, choosing the kind (mean, Procrustes, low-rank, ridge) on a held-out split of the anchors,
 * then, where anchors carry their notes, an anchor correction validated on held-out notes.
 * Direct maps from each old version to the current one avoid the error that chains accumulate.
 */
export async function fitForwardMap(
  anchors: AnchorPairs,
  options: FitOptions & { fromVersion: string; toVersion: string },
  signal?: AbortSignal,
): Promise<{ map: ForwardMap; fit: FitResult; correction?: CorrectionSelection }> {
  const fit = await fitAffine(anchors, options, signal);
  const split = anchors.notes && splitByNote(anchors.notes, options);
  if (!split) return { map: new ForwardMap(fit.best), fit };
  const side = (rows: number[]): AnchorPairs => ({
    stored: rows.map((i) => anchors.stored[i]!),
    current: rows.map((i) => anchors.current[i]!),
  });
  const [train, validation] = [side(split.train), side(split.validation)];
  // Chosen with a map fitted on the training notes alone, as the final map will meet unseen notes.
  const trainMap = (await fitAffine(train, options, signal)).best;
  const withImages = (side: AnchorPairs) => ({ ...side, images: side.stored.map((v) => trainMap.apply(v)) });
  const selection = selectCorrection(withImages(train), withImages(validation));
  if (!selection.choice) return { map: new ForwardMap(fit.best), fit, correction: selection };
  const images = anchors.stored.map((stored) => fit.best.apply(stored));
  const correction = buildCorrection({ ...anchors, images }, selection.choice);
  return { map: new ForwardMap(fit.best, correction), fit, correction: selection };
}

// fitCompensators maps its `newVecs` onto its `oldVecs`; here the stored vectors are the input.
function fitAffine(anchors: AnchorPairs, options: FitOptions, signal?: AbortSignal): Promise<FitResult> {
  return fitCompensators({ newVecs: anchors.stored, oldVecs: anchors.current }, options, signal);
}

/** Anchor rows split by whole notes (seeded), or undefined when either side would be too small. */
function splitByNote(
  notes: readonly string[],
  options: FitOptions,
): { train: number[]; validation: number[] } | undefined {
  const distinct = [...new Set(notes)];
  if (distinct.length < 4) return undefined;
  const { validation } = splitIndices(distinct.length, options.validationFraction ?? 0.2, options.seed ?? 1);
  const heldOut = new Set(validation.map((i) => distinct[i]!));
  const rows = notes.map((_, i) => i);
  const split = {
    train: rows.filter((i) => !heldOut.has(notes[i]!)),
    validation: rows.filter((i) => heldOut.has(notes[i]!)),
  };
  const enough = Math.min(split.train.length, split.validation.length) >= MIN_CORRECTION_ANCHORS;
  return enough ? split : undefined;
}
