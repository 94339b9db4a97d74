import { mapVector } from './mapVector.ts';
import type { CentredMoments, PairRows } from './moments.ts';
import { RidgeSystem } from './ridge.ts';
import { compatibilityScores, meanCosine } from './scoring.ts';
import type { CompatibilityScores, CompensatorParams, FittedKind } from './types.ts';

/** Hyperparameters chosen on validation and reused for the final refit. */
export interface Hyper {
  lambda?: number;
  rank?: number;
}

/** A kind's best showing on the validation pairs. */
export interface KindSelection {
  scores: CompatibilityScores;
  hyper: Hyper;
}

/** How one compensator kind is tuned on a train/validation split and refitted on everything. */
export interface KindFitter {
  kind: FittedKind;
  select(context: SelectionContext): KindSelection;
  build(moments: CentredMoments, hyper: Hyper): CompensatorParams;
}

/** The best of several candidate predictions: its hyperparameter, residual and full scores. */
export interface ResidualChoice<T> {
  value: T;
  residual: Float64Array;
  scores: CompatibilityScores;
}

/** What the kind fitters share for one split: statistics, held-out rows and cached solves. */
export class SelectionContext {
  readonly #cache: {
    system?: RidgeSystem;
    eigenRows?: Float64Array;
    centred?: Float64Array;
    choice?: ResidualChoice<number>;
  } = {};

  constructor(
    readonly train: CentredMoments,
    readonly validation: PairRows,
    readonly lambdaGrid: readonly number[],
    readonly rankGrid: readonly number[],
  ) {}

  /** Scores a parameter set by mapping every validation row through it. */
  score(params: CompensatorParams): CompatibilityScores {
    const { n, dims, x, y } = this.validation;
    const predicted = new Float64Array(n * dims);
    for (let i = 0; i < n; i++) {
      predicted.set(mapVector(params, dims, x.subarray(i * dims, (i + 1) * dims)), i * dims);
    }
    return compatibilityScores(predicted, y, n, dims);
  }

  /**
   * Among candidate predictions, given as residuals over the identity (prediction = meanY + x_c +
   * residual), the one with the highest mean cosine, with its full scores. Candidates come lazily
   * so that only the best residual so far is held.
   */
  bestResidual<T>(candidates: Iterable<{ value: T; residual: Float64Array }>): ResidualChoice<T> {
    const { n, dims, y } = this.validation;
    let best: { value: T; residual: Float64Array; predicted: Float64Array; cosine: number } | undefined;
    for (const { value, residual } of candidates) {
      const predicted = this.#predictionFromResidual(residual);
      const cosine = meanCosine(predicted, y, n, dims);
      if (!best || cosine > best.cosine) best = { value, residual, predicted, cosine };
    }
    if (!best) throw new Error('bestResidual: no candidates');
    return {
      value: best.value,
      residual: best.residual,
      scores: compatibilityScores(best.predicted, y, n, dims),
    };
  }

  #predictionFromResidual(residual: Float64Array): Float64Array {
    const { dims } = this.validation;
    const centred = this.centredValidation();
    const meanY = this.train.meanY;
    const predicted = new Float64Array(residual.length);
    for (let i = 0; i < residual.length; i++) predicted[i] = residual[i]! + centred[i]! + meanY[i % dims]!;
    return predicted;
  }

  /** Validation inputs centred by the training mean of the new vectors. */
  centredValidation(): Float64Array {
    const { dims, x } = this.validation;
    const meanX = this.train.meanX;
    return (this.#cache.centred ??= x.map((value, i) => value - meanX[i % dims]!));
  }

  ridge(): RidgeSystem {
    return (this.#cache.system ??= new RidgeSystem(this.train));
  }

  /** Validation inputs in the ridge eigenbasis, shared by every lambda and rank tried. */
  validationInEigenbasis(): Float64Array {
    return (this.#cache.eigenRows ??= this.ridge().toEigenbasis(this.centredValidation(), this.validation.n));
  }

  /** The relative ridge lambda that validates best, chosen once and shared by linear and lowrank. */
  bestLambda(): ResidualChoice<number> {
    return (this.#cache.choice ??= this.bestResidual(this.#lambdaCandidates()));
  }

  *#lambdaCandidates(): Generator<{ value: number; residual: Float64Array }> {
    for (const lambda of this.lambdaGrid) {
      yield {
        value: lambda,
        residual: this.ridge().predictResidual(this.validationInEigenbasis(), this.validation.n, lambda),
      };
    }
  }
}
