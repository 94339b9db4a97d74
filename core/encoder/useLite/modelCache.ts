import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DriftlessError, sha256 } from '../../base/index.ts';
import type { DigestCache } from '../../base/index.ts';
import { useLiteWeights } from './architecture.ts';
import { BUILDER_VERSION, buildUseLiteOnnx } from './buildModel.ts';
import { floatWeights } from './weights.ts';
import type { UseLiteSource } from './weights.ts';

/** What the sidecar file records about a generated model. */
interface ModelRecord {
  readonly sourceHash: string;
  readonly builderVersion: string;
  readonly modelSha256: string;
}

/** The shipped weights as loadOrBuildV0 needs them: the hash naming them, and the weights only to build. */
export interface V0Source {
  readonly hash: string;
  readonly read: () => Promise<UseLiteSource>;
}

/** The generated model and whether this call had to build it. */
export interface CachedModel {
  /**
   * What onnxruntime opens: the bytes this call built, else the checked file's path, which
   * onnxruntime reads natively (no 28 MB copy through the JavaScript heap on every start).
   */
  readonly model: Uint8Array | string;
  readonly path: string;
  readonly built: boolean;
}

const MODEL_FILE = 'encoder-v0.onnx';
const RECORD_FILE = 'encoder-v0.json';

/**
 * Returns the v0 ONNX model from `cacheDir`, building it from the shipped weights when it is
 * missing, was built from other weights or by another builder version, or is damaged. The model
 * file is checked against its recorded sha256 through `digests`, which hashes it only when it
 * changed since it was last checked.
 */
export async function loadOrBuildV0(
  cacheDir: string,
  source: V0Source,
  digests: DigestCache,
): Promise<CachedModel> {
  const modelPath = path.join(cacheDir, MODEL_FILE);
  if (await isValidModel(cacheDir, source.hash, digests))
    return { model: modelPath, path: modelPath, built: false };
  const { frozen, trainable } = useLiteWeights(floatWeights(await source.read()));
  const bytes = buildUseLiteOnnx(frozen, trainable, { source_sha256: source.hash, encoder_version: 'v0' });
  const record: ModelRecord = {
    sourceHash: source.hash,
    builderVersion: BUILDER_VERSION,
    modelSha256: sha256(bytes),
  };
  try {
    await mkdir(cacheDir, { recursive: true });
    await writeAtomically(modelPath, bytes);
    await writeAtomically(path.join(cacheDir, RECORD_FILE), JSON.stringify(record, null, 2));
  } catch (error) {
    throw new DriftlessError(
      'IO',
      `Cannot write the encoder model to ${cacheDir}.`,
      { cacheDir },
      { cause: error },
    );
  }
  return { model: bytes, path: modelPath, built: true };
}

/** Whether the cached model was built from these weights by this builder, and is intact. */
async function isValidModel(cacheDir: string, sourceHash: string, digests: DigestCache): Promise<boolean> {
  try {
    const record = JSON.parse(
      await readFile(path.join(cacheDir, RECORD_FILE), 'utf8'),
    ) as Partial<ModelRecord>;
    if (record.sourceHash !== sourceHash || record.builderVersion !== BUILDER_VERSION) return false;
    return (await digests.digestOf([path.join(cacheDir, MODEL_FILE)])).sha256 === record.modelSha256;
  } catch {
    // Missing or unreadable cache: rebuild.
    return false;
  }
}

async function writeAtomically(file: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, data);
  await rename(temporary, file);
}
