import { multiply, transpose } from '../dense.ts';
import type { CentredMoments } from '../moments.ts';
import { RidgeSystem } from '../ridge.ts';
import type { KindFitter } from '../selectionContext.ts';
import type { KindDefinition, ParamsOf } from './definition.ts';
import { f32, requireHyper } from './shared.ts';

type LowRankParams = ParamsOf<'lowrank'>;

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

function mapLowRank(params: LowRankParams, dims: number, x: ArrayLike<number>): Float64Array {
  const { rank, u, v } = params;
  const centred = Float64Array.from(x, (value, i) => value - params.newMean[i]!);
  const coefficients = new Float64Array(rank);
  for (let i = 0; i < dims; i++) {
    const xi = centred[i]!;
    for (let k = 0; k < rank; k++) coefficients[k]! += v[i * rank + k]! * xi;
  }
  const out = centred;
  for (let i = 0; i < dims; i++) {
    let sum = params.oldMean[i]!;
    for (let k = 0; k < rank; k++) sum += u[i * rank + k]! * coefficients[k]!;
    out[i]! += sum;
  }
  return out;
}

/** (I + u v^T) A in O(d^2 r) instead of materialising I + u v^T first. */
function lowRankTimes(params: LowRankParams, a: Float64Array, dims: number): Float64Array {
  const { rank, u, v } = params;
  const vt = new Float64Array(rank * dims);
  for (let i = 0; i < dims; i++) {
    for (let k = 0; k < rank; k++) vt[k * dims + i] = v[i * rank + k]!;
  }
  const projected = multiply(vt, a, rank, dims, dims); // v^T A, rank x dims
  return Float64Array.from(a, (value, index) => {
    const row = Math.floor(index / dims);
    const col = index - row * dims;
    let sum = value;
    for (let k = 0; k < rank; k++) sum += u[row * rank + k]! * projected[k * dims + col]!;
    return sum;
  });
}

/** x -> (I + u v^T)(x - newMean) + oldMean. */
export const lowRankKind: KindDefinition<LowRankParams> = {
  fitter: lowRankFitter,
  map: mapLowRank,
  composeAffine: (params, { dims, matrix, bias }) => ({
    dims,
    matrix: lowRankTimes(params, matrix, dims),
    bias: mapLowRank(params, dims, bias),
  }),
  arrays: (params, dims) => [
    ['u', params.u, dims * params.rank],
    ['v', params.v, dims * params.rank],
    ['newMean', params.newMean, dims],
    ['oldMean', params.oldMean, dims],
  ],
  fields: (params) => ({ rank: params.rank }),
  problem: (params, dims) =>
    Number.isInteger(params.rank) && params.rank >= 1 && params.rank <= dims
      ? undefined
      : `rank must be an integer in 1..${dims}, got ${params.rank}`,
  decode({ rank, array, corrupt }) {
    if (rank === undefined) return corrupt('lowrank compensator without a rank');
    const [u, v, newMean, oldMean] = ['u', 'v', 'newMean', 'oldMean'].map(array) as [
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
    ];
    return { kind: 'lowrank', rank, u, v, newMean, oldMean };
  },
};
