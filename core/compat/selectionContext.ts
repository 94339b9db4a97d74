import { mapVector } from './mapVector.ts';
import type { CentredMoments, PairRows } from './moments.ts';
import { RidgeSystem } from './ridge.ts';
import { compatibilityScores } from './scoring.ts';
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

interface LambdaChoice {
  lambda: number;
  scores: CompatibilityScores;
}

/** What the kind fitters share for one split: statistics, held-out rows and cached solves. */
export class SelectionContext {
  readonly #ridge: { system?: RidgeSystem; eigenRows?: Float64Array; choice?: LambdaChoice } = {};

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
    for (let i = 0; i < n; i++)
      predicted.set(mapVector(params, dims, x.subarray(i * dims, (i + 1) * dims)), i * dims);
    return compatibilityScores(predicted, y, n, dims);
  }

  /** Scores predictions given as residuals over the identity: prediction = meanY + x_c + residual. */
  scoreResidual(residual: Float64Array): CompatibilityScores {
    const { n, dims, y } = this.validation;
    const centred = this.centredValidation();
    const predicted = Float64Array.from(
      residual,
      (value, i) => value + centred[i]! + this.train.meanY[i % dims]!,
    );
    return compatibilityScores(predicted, y, n, dims);
  }

  /** Validation inputs centred by the training mean of the new vectors. */
  centredValidation(): Float64Array {
    const { dims, x } = this.validation;
    return Float64Array.from(x, (value, i) => value - this.train.meanX[i % dims]!);
  }

  ridge(): RidgeSystem {
    return (this.#ridge.system ??= new RidgeSystem(this.train));
  }

  /** Validation inputs in the ridge eigenbasis, shared by every lambda and rank tried. */
  validationInEigenbasis(): Float64Array {
    return (this.#ridge.eigenRows ??= this.ridge().toEigenbasis(this.centredValidation(), this.validation.n));
  }

  /** The relative ridge lambda that validates best, chosen once and shared by linear and lowrank. */
  bestLambda(): LambdaChoice {
    return (this.#ridge.choice ??= this.#chooseLambda());
  }

  #chooseLambda(): LambdaChoice {
    let best: LambdaChoice | undefined;
    for (const lambda of this.lambdaGrid) {
      const residual = this.ridge().predictResidual(this.validationInEigenbasis(), this.validation.n, lambda);
      const scores = this.scoreResidual(residual);
      if (!best || scores.meanCosine > best.scores.meanCosine) best = { lambda, scores };
    }
    if (!best) throw new Error('bestLambda: empty lambda grid');
    return best;
  }
}
