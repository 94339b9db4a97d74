import { identity, multiply, multiplyVector, transpose } from './dense.ts';
import type { CentredMoments } from './moments.ts';
import { orthogonalPolar } from './orthogonalPolar.ts';
import { RidgeSystem } from './ridge.ts';
import type { KindFitter } from './selectionContext.ts';
import type { FittedKind } from './types.ts';

const f32 = (values: ArrayLike<number>) => Float32Array.from(values);

/** The paper's query drift compensation: subtract the mean of new - old. */
const meanFitter: KindFitter = {
  kind: 'mean',
  select(context) {
    return { scores: context.score(this.build(context.train, {})), hyper: {} };
  },
  build({ meanX, meanY }) {
    return { kind: 'mean', drift: f32(meanX.map((value, i) => value - meanY[i]!)) };
  },
};

/** Orthogonal Procrustes between the centred clouds: the rotation R maximising trace(R^T Y_c^T X_c). */
const procrustesFitter: KindFitter = {
  kind: 'procrustes',
  select(context) {
    return { scores: context.score(this.build(context.train, {})), hyper: {} };
  },
  build({ dims, meanX, meanY, cross }) {
    const rotation = orthogonalPolar(transpose(cross, dims, dims), dims);
    return { kind: 'procrustes', rotation: f32(rotation), newMean: f32(meanX), oldMean: f32(meanY) };
  },
};

/** Full ridge map I + Delta^T with lambda chosen on validation. */
const linearFitter: KindFitter = {
  kind: 'linear',
  select(context) {
    const { value: lambda, scores } = context.bestLambda();
    return { scores, hyper: { lambda } };
  },
  build(moments, hyper) {
    const { dims, meanX, meanY } = moments;
    const delta = new RidgeSystem(moments).delta(requireHyper(hyper.lambda));
    const matrix = identity(dims);
    for (let i = 0; i < dims; i++) {
      for (let j = 0; j < dims; j++) matrix[i * dims + j]! += delta[j * dims + i]!;
    }
    const mapped = multiplyVector(matrix, dims, dims, meanX);
    return { kind: 'linear', matrix: f32(matrix), bias: f32(meanY.map((value, i) => value - mapped[i]!)) };
  },
};

/** Identity plus the best rank-r part of the ridge residual map (reduced-rank regression). */
const lowRankFitter: KindFitter = {
  kind: 'lowrank',
  select(context) {
    const { value: lambda, residual } = context.bestLambda();
    const { dims, n } = context.validation;
    const ranks = usableRanks(context.rankGrid, dims, context.train.n);
    const directions = context.ridge().residualDirections(lambda, Math.max(...ranks));
    const truncated = function* () {
      for (const rank of ranks) {
        const basis = directions.subarray(0, rank * dims);
        const coefficients = multiply(residual, transpose(basis, rank, dims), n, dims, rank);
        yield { value: rank, residual: multiply(coefficients, basis, n, rank, dims) };
      }
    };
    const { value: rank, scores } = context.bestResidual(truncated());
    return { scores, hyper: { lambda, rank } };
  },
  build(moments: CentredMoments, hyper) {
    const { dims, meanX, meanY } = moments;
    const lambda = requireHyper(hyper.lambda);
    const rank = requireHyper(hyper.rank);
    const ridge = new RidgeSystem(moments);
    const basisT = transpose(ridge.residualDirections(lambda, rank), rank, dims); // dims x rank
    const v = multiply(ridge.delta(lambda), basisT, dims, dims, rank);
    return { kind: 'lowrank', rank, u: f32(basisT), v: f32(v), newMean: f32(meanX), oldMean: f32(meanY) };
  },
};

/** Ranks from the grid that make sense for the dimensions and the number of training pairs. */
export function usableRanks(grid: readonly number[], dims: number, trainPairs: number): number[] {
  const limit = Math.min(dims - 1, trainPairs);
  const ranks = grid.filter((rank) => Number.isInteger(rank) && rank >= 1 && rank <= limit);
  return ranks.length > 0 ? ranks : [Math.max(1, Math.min(Math.floor(dims / 2), trainPairs))];
}

function requireHyper(value: number | undefined): number {
  if (value === undefined) throw new Error('Missing hyperparameter for the refit.');
  return value;
}

/** The fitter of each kind. */
export const KIND_FITTERS: Record<FittedKind, KindFitter> = {
  mean: meanFitter,
  procrustes: procrustesFitter,
  linear: linearFitter,
  lowrank: lowRankFitter,
};
