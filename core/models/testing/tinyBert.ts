import fs from 'node:fs/promises';
import path from 'node:path';
import { tinyBertOnnxBytes } from './tinyBertOnnx.ts';
import { tinyTokenizerConfig, tinyTokenizerJson, tinyVocabulary } from './tinyTokenizer.ts';

export interface TinyBertOptions {
  hiddenSize?: number;
  maxPositions?: number;
  seed?: number;
  withTokenTypes?: boolean;
  withSentenceEmbedding?: boolean;
}

export interface TinyBertFiles {
  /** Relative paths, laid out like a Hugging Face repository. */
  files: { path: string; bytes: Uint8Array }[];
  hiddenSize: number;
  maxPositions: number;
}

/** Builds a tiny real BERT-style model (ONNX graph + WordPiece tokenizer) in memory. */
export function buildTinyBert(options: TinyBertOptions = {}): TinyBertFiles {
  const hiddenSize = options.hiddenSize ?? 16;
  const maxPositions = options.maxPositions ?? 64;
  const vocabulary = tinyVocabulary();
  const onnxBytes = tinyBertOnnxBytes({
    vocabularySize: vocabulary.length,
    hiddenSize,
    maxPositions,
    seed: options.seed ?? 7,
    withTokenTypes: options.withTokenTypes ?? true,
    withSentenceEmbedding: options.withSentenceEmbedding ?? false,
  });
  const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
  return {
    hiddenSize,
    maxPositions,
    files: [
      { path: 'onnx/model.onnx', bytes: onnxBytes },
      { path: 'tokenizer.json', bytes: json(tinyTokenizerJson(vocabulary)) },
      { path: 'tokenizer_config.json', bytes: json(tinyTokenizerConfig(maxPositions)) },
    ],
  };
}

/** Writes the tiny model's files under `dir`, keeping their repository paths. */
export async function writeTinyBert(dir: string, model: TinyBertFiles): Promise<void> {
  for (const file of model.files) {
    const target = path.join(dir, file.path);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, file.bytes);
  }
}
