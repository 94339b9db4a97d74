import { multiply, multiplyVector, transpose } from '../dense.ts';
import { orthogonalPolar } from '../orthogonalPolar.ts';
import type { KindFitter } from '../selectionContext.ts';
import type { KindDefinition, ParamsOf } from './definition.ts';
import { addInPlace, f32 } from './shared.ts';

type ProcrustesParams = ParamsOf<'procrustes'>;

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

function mapProcrustes(params: ProcrustesParams, dims: number, x: ArrayLike<number>): Float64Array {
  const centred = Float64Array.from(x, (value, i) => value - params.newMean[i]!);
  return addInPlace(multiplyVector(params.rotation, dims, dims, centred), params.oldMean);
}

/** x -> rotation (x - newMean) + oldMean, with rotation orthogonal. */
export const procrustesKind: KindDefinition<ProcrustesParams> = {
  fitter: procrustesFitter,
  map: mapProcrustes,
  composeAffine: (params, { dims, matrix, bias }) => ({
    dims,
    matrix: multiply(Float64Array.from(params.rotation), matrix, dims, dims, dims),
    bias: mapProcrustes(params, dims, bias),
  }),
  arrays: (params, dims) => [
    ['rotation', params.rotation, dims * dims],
    ['newMean', params.newMean, dims],
    ['oldMean', params.oldMean, dims],
  ],
  decode: ({ array }) => ({
    kind: 'procrustes',
    rotation: array('rotation'),
    newMean: array('newMean'),
    oldMean: array('oldMean'),
  }),
};
