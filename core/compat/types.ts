import type { ProgressListener } from '../base/index.ts';

/** The compensator kinds the fitter can choose from. */
export type FittedKind = 'mean' | 'linear' | 'procrustes' | 'lowrank';

/** Every compensator kind: the fitted ones, plus identity (no drift) and affine (a composed chain). */
export type CompensatorKind = FittedKind | 'identity' | 'affine';

/** All fitted kinds, simplest first; the fitter prefers the simpler one when scores tie. */
export const FITTED_KINDS: readonly FittedKind[] = ['mean', 'procrustes', 'lowrank', 'linear'];

/**
 * Parameters of a map from a newer encoder's space to an older one's, per kind. Matrices are
 * row-major Float32 (d x d for `matrix`/`rotation`, d x rank for `u`/`v`) and act on column vectors.
 */
export type CompensatorParams =
  | { kind: 'identity' }
  /** x -> x - drift (the paper's query drift compensation). */
  | { kind: 'mean'; drift: Float32Array }
  /** x -> matrix x + bias (ridge fit for 'linear'; composed chains for 'affine'). */
  | { kind: 'linear' | 'affine'; matrix: Float32Array; bias: Float32Array }
  /** x -> rotation (x - newMean) + oldMean, with rotation orthogonal. */
  | { kind: 'procrustes'; rotation: Float32Array; newMean: Float32Array; oldMean: Float32Array }
  /** x -> (I + u v^T)(x - newMean) + oldMean. */
  | {
      kind: 'lowrank';
      rank: number;
      u: Float32Array;
      v: Float32Array;
      newMean: Float32Array;
      oldMean: Float32Array;
    };

/** How well a map brings held-out new vectors onto their old counterparts (all cosine based). */
export interface CompatibilityScores {
  /** Mean cosine between each mapped new vector and its own old vector. */
  meanCosine: number;
  /** Share of held-out pairs whose own old vector ranks first among all held-out old vectors. */
  recallAt1: number;
  recallAt10: number;
  /** Mean reciprocal rank of the own old vector. */
  mrr: number;
  /** Number of held-out pairs scored. */
  pairs: number;
}

/** What a compensator was fitted on and how it validated; absent for identity and composed maps. */
export interface FitInfo {
  /** Pairs the final parameters were fitted on. */
  fittedPairs: number;
  /** Held-out pairs the kind was scored on before the final refit. */
  validationPairs: number;
  scores?: CompatibilityScores;
  /** Hyperparameters chosen by validation (ridge lambda, rank). */
  lambda?: number;
  rank?: number;
}

/** Everything that defines a compensator; what is stored on disk. */
export interface CompensatorSpec {
  /** The encoder version whose vectors the map takes (the newer one). */
  fromVersion: string;
  /** The encoder version whose space the map produces (the older one). */
  toVersion: string;
  dims: number;
  params: CompensatorParams;
  fit?: FitInfo;
}

/** Paired embeddings of the same texts: newVecs[i] and oldVecs[i] embed one text. */
export interface EmbeddingPairs {
  newVecs: readonly Float32Array[];
  oldVecs: readonly Float32Array[];
}

export interface FitOptions {
  /** Kinds to try; all fitted kinds by default. */
  kinds?: readonly FittedKind[];
  /** Share of pairs held out for validation (default 0.2). */
  validationFraction?: number;
  /** Seed of the train/validation split (default 1). */
  seed?: number;
  fromVersion?: string;
  toVersion?: string;
  /** Ridge strengths to try, relative to the mean input energy per dimension. */
  lambdaGrid?: readonly number[];
  /** Ranks to try for 'lowrank' (default 8, 16, 32, capped by dims). */
  rankGrid?: readonly number[];
  /** Progress in phase 'fit-compensator': one step per kind, then the final refit. */
  onProgress?: ProgressListener;
}
