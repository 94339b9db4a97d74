import type { KindFitter } from '../selectionContext.ts';
import type { KindDefinition, ParamsOf } from './definition.ts';
import { f32 } from './shared.ts';

type MeanParams = ParamsOf<'mean'>;

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

function mapMean(params: MeanParams, _dims: number, x: ArrayLike<number>): Float64Array {
  return Float64Array.from(x, (value, i) => value - params.drift[i]!);
}

/** x -> x - drift. */
export const meanKind: KindDefinition<MeanParams> = {
  fitter: meanFitter,
  map: mapMean,
  composeAffine: (params, { dims, matrix, bias }) => ({ dims, matrix, bias: mapMean(params, dims, bias) }),
  arrays: (params, dims) => [['drift', params.drift, dims]],
  decode: ({ array }) => ({ kind: 'mean', drift: array('drift') }),
};
