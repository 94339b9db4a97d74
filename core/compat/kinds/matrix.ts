import { identity, multiply, multiplyVector } from '../dense.ts';
import { RidgeSystem } from '../ridge.ts';
import type { KindFitter } from '../selectionContext.ts';
import type { KindDefinition, ParamsOf } from './definition.ts';
import { addInPlace, f32, requireHyper } from './shared.ts';

type MatrixParams = ParamsOf<'linear' | 'affine'>;

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

function mapMatrix(params: MatrixParams, dims: number, x: ArrayLike<number>): Float64Array {
  return addInPlace(multiplyVector(params.matrix, dims, dims, x), params.bias);
}

/** x -> matrix x + bias: 'linear' is the ridge fit, 'affine' a composed chain (same shape, not fitted). */
function matrixKind(fitter: KindFitter | undefined): KindDefinition<MatrixParams> {
  return {
    ...(fitter ? { fitter } : {}),
    map: mapMatrix,
    composeAffine: (params, { dims, matrix, bias }) => ({
      dims,
      matrix: multiply(Float64Array.from(params.matrix), matrix, dims, dims, dims),
      bias: mapMatrix(params, dims, bias),
    }),
    arrays: (params, dims) => [
      ['matrix', params.matrix, dims * dims],
      ['bias', params.bias, dims],
    ],
    decode: ({ kind, array }) => ({ kind, matrix: array('matrix'), bias: array('bias') }),
  };
}

export const linearKind = matrixKind(linearFitter);
export const affineKind = matrixKind(undefined);
