import { DriftlessError, throwIfAborted } from '../base/index.ts';
import { Compensator } from './compensator.ts';
import { stackRows } from './dense.ts';
import { fitterOf } from './kinds/index.ts';
import { addMoments, centre, meanShift, pairMoments, type PairRows } from './moments.ts';
import { compatibilityScores } from './scoring.ts';
import { SelectionContext, type KindSelection } from './selectionContext.ts';
import { splitIndices } from './split.ts';
import { checkPairs } from './checkPairs.ts';
import { pickKind } from './pickKind.ts';
import {
  FITTED_KINDS,
  type CompatibilityScores,
  type EmbeddingPairs,
  type FitOptions,
  type FittedKind,
} from './types.ts';

/** The fitter's verdict: the chosen compensator (refitted on all pairs) and how every kind scored. */
export interface FitResult {
  best: Compensator;
  bestKind: FittedKind;
  /** Validation scores of each kind tried, with its hyperparameters. */
  scores: Partial<Record<FittedKind, CompatibilityScores & { lambda?: number; rank?: number }>>;
  /** Validation scores with no compensation at all (new vectors searched as they are). */
  baseline: CompatibilityScores;
  trainPairs: number;
  validationPairs: number;
}

const DEFAULT_LAMBDAS = [1e-4, 1e-3, 1e-2, 1e-1, 1, 10];
const DEFAULT_RANKS = [8, 16, 32];

/**
 * Fits every requested compensator kind on a training part of the pairs, scores each on the held-out
 * part (mean cosine and retrieval of the true old vector), picks the best (the simplest kind when
 * scores are practically tied), and refits that kind on all pairs with the chosen hyperparameters.
 *
 * @param pairs new- and old-version embeddings of the same texts, index-aligned.
 * @throws DriftlessError INVALID_ARGUMENT for mismatched, too few or non-finite pairs; CANCELLED on abort.
 * @example
 * const { best, scores } = await fitCompensators({ newVecs, oldVecs }, { fromVersion: 'v2', toVersion: 'v1' });
 */
export async function fitCompensators(
  pairs: EmbeddingPairs,
  options: FitOptions = {},
  signal?: AbortSignal,
): Promise<FitResult> {
  const { onProgress } = options;
  const dims = checkPairs(pairs);
  const kinds = resolveKinds(options);
  const split = splitIndices(pairs.newVecs.length, validationFraction(options), options.seed ?? 1);
  const trainRows = rowsOf(pairs, split.train, dims);
  const validationRows = rowsOf(pairs, split.validation, dims);
  const { shiftX, shiftY } = meanShift(trainRows);
  const trainMoments = pairMoments(trainRows, shiftX, shiftY);
  const context = new SelectionContext(
    centre(trainMoments),
    validationRows,
    lambdaGrid(options),
    options.rankGrid ?? DEFAULT_RANKS,
  );
  const report = (done: number, detail?: string) =>
    onProgress?.({ phase: 'fit-compensator', done, total: kinds.length + 1, ...(detail ? { detail } : {}) });
  const selections = new Map<FittedKind, KindSelection>();
  for (const [done, kind] of kinds.entries()) {
    throwIfAborted(signal);
    report(done, kind);
    selections.set(kind, fitterOf(kind).select(context));
    await yieldToEventLoop();
  }
  throwIfAborted(signal);
  const bestKind = pickKind(selections);
  const { hyper, scores } = selections.get(bestKind)!;
  report(kinds.length, `refit ${bestKind}`);
  const all = centre(addMoments(trainMoments, pairMoments(validationRows, shiftX, shiftY)));
  const best = new Compensator({
    fromVersion: options.fromVersion ?? 'new',
    toVersion: options.toVersion ?? 'old',
    dims,
    params: fitterOf(bestKind).build(all, hyper),
    fit: { fittedPairs: all.n, validationPairs: validationRows.n, scores, ...hyper },
  });
  report(kinds.length + 1);
  return {
    best,
    bestKind,
    scores: Object.fromEntries([...selections].map(([kind, s]) => [kind, { ...s.scores, ...s.hyper }])),
    baseline: compatibilityScores(validationRows.x, validationRows.y, validationRows.n, dims),
    trainPairs: trainRows.n,
    validationPairs: validationRows.n,
  };
}

function resolveKinds(options: FitOptions): FittedKind[] {
  const kinds = options.kinds?.length ? [...new Set(options.kinds)] : [...FITTED_KINDS];
  const unknown = kinds.find((kind) => !FITTED_KINDS.includes(kind));
  if (unknown !== undefined) {
    throw new DriftlessError(
      'INVALID_ARGUMENT',
      `Unknown compensator kind ${unknown}; use one of ${FITTED_KINDS.join(', ')}.`,
    );
  }
  return kinds;
}

function lambdaGrid(options: FitOptions): readonly number[] {
  const grid = options.lambdaGrid ?? DEFAULT_LAMBDAS;
  if (grid.length === 0 || !grid.every((lambda) => Number.isFinite(lambda) && lambda > 0)) {
    throw new DriftlessError('INVALID_ARGUMENT', 'lambdaGrid must hold positive finite numbers.');
  }
  return grid;
}

function validationFraction(options: FitOptions): number {
  const fraction = options.validationFraction ?? 0.2;
  if (!(fraction > 0 && fraction < 1)) {
    throw new DriftlessError('INVALID_ARGUMENT', `validationFraction must be in (0, 1), got ${fraction}.`);
  }
  return fraction;
}

function rowsOf(pairs: EmbeddingPairs, indices: number[], dims: number): PairRows {
  return {
    n: indices.length,
    dims,
    x: stackRows(
      indices.map((i) => pairs.newVecs[i]!),
      dims,
    ),
    y: stackRows(
      indices.map((i) => pairs.oldVecs[i]!),
      dims,
    ),
  };
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
