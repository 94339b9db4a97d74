import path from 'node:path';
import {
  floatWeights,
  readUseLiteSource,
  useLiteModelDir,
  useLiteWeights,
  UseLiteTokenizer,
} from '../../encoder/index.ts';
import type { FrozenWeights, TrainableWeights } from '../../encoder/index.ts';

/** The pretrained USE-lite weights split into the frozen and trainable part, and the hash naming them. */
export interface UseLiteParts {
  readonly sourceHash: string;
  readonly frozen: FrozenWeights;
  readonly pretrained: TrainableWeights;
}

let tokenizer: Promise<UseLiteTokenizer> | undefined;
let parts: Promise<UseLiteParts> | undefined;

/** The bundled sentencepiece tokenizer (128 tokens), loaded once per process. */
export function sharedTokenizer(): Promise<UseLiteTokenizer> {
  tokenizer ??= UseLiteTokenizer.load(path.join(useLiteModelDir(), 'vocab.json')).catch((error: unknown) => {
    tokenizer = undefined;
    throw error;
  });
  return tokenizer;
}

/** The shipped weights, read and split once per process (about 28 MB). */
export function sharedUseLiteParts(): Promise<UseLiteParts> {
  parts ??= readUseLiteSource()
    .then((source) => {
      const { frozen, trainable } = useLiteWeights(floatWeights(source));
      return { sourceHash: source.hash, frozen, pretrained: trainable };
    })
    .catch((error: unknown) => {
      parts = undefined;
      throw error;
    });
  return parts;
}
