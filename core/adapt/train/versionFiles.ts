import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { DriftlessError, sha256, writeFileAtomic, writeJsonAtomic } from '../../base/index.ts';
import { buildUseLiteOnnx } from '../../encoder/index.ts';
import type { Encoder, FrozenWeights, TrainableWeights } from '../../encoder/index.ts';
import { sharedTokenizer } from './assets.ts';
import { packFloats, unpackFloats } from './tensorFile.ts';
import type { TensorEntry } from './tensorFile.ts';
import { flattenTrainable } from './trainableTensors.ts';
import { openVersionEncoder } from './versionEncoder.ts';

/** The files of a published USE-lite version. */
export const VERSION_FILES = {
  model: 'model.onnx',
  /** The trainable weights as little-endian float32, in the order of `trainable.json`. */
  weights: 'trainable.bin',
  weightsIndex: 'trainable.json',
} as const;

/** What `trainable.json` records. */
export interface TrainableIndex {
  readonly format: 'driftless-use-lite-trainable/1';
  readonly backboneId: 'use-lite';
  readonly sha256: string;
  readonly tensors: readonly TensorEntry[];
}

/** Writes model.onnx (frozen part + `trainable`), trainable.bin and trainable.json into `dir`. */
export async function writeUseLiteVersion(
  dir: string,
  frozen: FrozenWeights,
  trainable: TrainableWeights,
  model: Uint8Array = buildUseLiteOnnx(frozen, trainable),
): Promise<void> {
  const tensors = flattenTrainable(trainable).map(({ name, tensor }) => ({ name, ...tensor }));
  const { bytes, entries } = packFloats(tensors);
  const index: TrainableIndex = {
    format: 'driftless-use-lite-trainable/1',
    backboneId: 'use-lite',
    sha256: sha256(bytes),
    tensors: entries,
  };
  await writeFileAtomic(path.join(dir, VERSION_FILES.weights), bytes);
  await writeJsonAtomic(path.join(dir, VERSION_FILES.weightsIndex), index);
  await writeFileAtomic(path.join(dir, VERSION_FILES.model), model);
}

/** The trainable weights of a version folder, by name; CORRUPT when the files disagree. */
export async function readTrainableTensors(dir: string): Promise<Map<string, Float32Array>> {
  let index: TrainableIndex;
  let bytes: Uint8Array;
  try {
    index = JSON.parse(await readFile(path.join(dir, VERSION_FILES.weightsIndex), 'utf8')) as TrainableIndex;
    bytes = new Uint8Array(await readFile(path.join(dir, VERSION_FILES.weights)));
  } catch (error) {
    throw new DriftlessError(
      'NOT_FOUND',
      `The trainable weights in ${dir} cannot be read.`,
      { dir },
      { cause: error },
    );
  }
  if (index.format !== 'driftless-use-lite-trainable/1' || index.sha256 !== sha256(bytes))
    throw new DriftlessError('CORRUPT', `The trainable weights in ${dir} are damaged.`, { dir });
  return unpackFloats(bytes, index.tensors);
}

/**
 * Opens a published version's model.onnx as an Encoder labelled `version`. Only the model and
 * the shared tokenizer are read; the trainable weights are read when training continues from it.
 */
export async function loadVersionEncoder(versionDir: string, version: string): Promise<Encoder> {
  const modelPath = path.join(versionDir, VERSION_FILES.model);
  await access(modelPath).catch((error: unknown) => {
    throw new DriftlessError(
      'NOT_FOUND',
      `Encoder version ${version} has no model in ${versionDir}.`,
      { version, versionDir },
      { cause: error },
    );
  });
  const tokenizer = await sharedTokenizer();
  const encoder = await openVersionEncoder({
    model: modelPath,
    tokenizer,
    version,
    trainable: () => readTrainableTensors(versionDir),
  });
  versionDirs.set(encoder, versionDir);
  return encoder;
}

const versionDirs = new WeakMap<Encoder, string>();

/** The folder an encoder was loaded from by `loadVersionEncoder` (another thread can open it too). */
export function versionDirOf(encoder: Encoder): string | undefined {
  return versionDirs.get(encoder);
}
