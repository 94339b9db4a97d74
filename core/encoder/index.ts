export { BundledEncoder } from './bundledEncoder.ts';
export type { BundledEncoderOptions } from './bundledEncoder.ts';
export { UseLiteTokenizer, USE_LITE_MAX_TOKENS } from './useLite/tokenizer.ts';
export type { Vocabulary } from './useLite/tokenizer.ts';
export type { Encoder, TokenCounter } from './types.ts';
