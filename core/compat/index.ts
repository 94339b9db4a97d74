export { Compensator } from './compensator.ts';
export { composeChain } from './composeChain.ts';
export { CompensatorChainCache } from './chainCache.ts';
export { fitCompensators } from './fitCompensators.ts';
export type { FitResult } from './fitCompensators.ts';
export { scoreCompensator } from './scoreCompensator.ts';
export { saveCompensator, loadCompensator } from './compensatorFile.ts';
export { encodeCompensator, decodeCompensator } from './compensatorCodec.ts';
export type { AffineMap } from './affineMap.ts';
export { FITTED_KINDS } from './types.ts';
export type {
  CompatibilityScores,
  CompensatorKind,
  CompensatorParams,
  CompensatorSpec,
  EmbeddingPairs,
  FitInfo,
  FitOptions,
  FittedKind,
} from './types.ts';
export { ForwardMap, fitForwardMap } from './forwardMap.ts';
export type { AnchorPairs } from './forwardMap.ts';
export { AnchorCorrection } from './anchorCorrection.ts';
export type { AnchorCorrectionParams, CorrectionSelection } from './anchorCorrection.ts';
export { loadAnchorCorrection, saveAnchorCorrection } from './anchorCorrectionFile.ts';
