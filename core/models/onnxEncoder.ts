import path from 'node:path';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { DriftlessError, throwIfAborted } from '../base/index.ts';
import { createProviderSession, type InferenceRuntime } from '../encoder/executionProviders.ts';
import type { Encoder } from '../encoder/types.ts';
import type { ModelEntry } from './catalogue.ts';
import { isFile } from './localFiles.ts';
import { normalizeL2, poolTokenStates, splitRows } from './pooling.ts';
import { TextTokenizer } from './textTokenizer.ts';
import type { TokenBatch } from './textTokenizer.ts';

export interface OnnxEncoderOptions {
  /** The encoder version these vectors belong to, e.g. 'v0'. */
  version: string;
  /** Texts per inference call (default 32). */
  batchSize?: number;
  /** onnxruntime execution providers, best first; default the platform's GPU provider, then cpu. */
  executionProviders?: readonly string[];
}

async function requireFile(dir: string, relative: string): Promise<string> {
  const file = path.join(dir, relative);
  if (!(await isFile(file)))
    throw new DriftlessError('NOT_FOUND', `The model file ${file} is missing.`, { file });
  return file;
}

type Ort = typeof import('onnxruntime-node');

async function createSession(
  ort: Ort,
  modelFile: string,
  executionProviders: readonly string[] | undefined,
): Promise<{ session: InferenceSession; runtime: InferenceRuntime }> {
  try {
    return await createProviderSession(ort, modelFile, {}, executionProviders);
  } catch (error) {
    throw new DriftlessError(
      'CORRUPT',
      `The ONNX model ${modelFile} cannot be loaded: ${(error as Error).message}`,
      { file: modelFile },
      { cause: error },
    );
  }
}

/** Indices of `lengths` in batches of similar length, so short texts are not padded to long ones. */
export function lengthBuckets(lengths: readonly number[], batchSize: number): number[][] {
  const order = lengths.map((_, i) => i).sort((a, b) => (lengths[a] as number) - (lengths[b] as number));
  const batches: number[][] = [];
  for (let i = 0; i < order.length; i += batchSize) batches.push(order.slice(i, i + batchSize));
  return batches;
}

/**
 * A sentence-transformer (BERT family) running on onnxruntime: tokenizer.json, masked mean or CLS
 * pooling over `last_hidden_state` (or the model's own `sentence_embedding`), unit-norm vectors,
 * and the catalogue's query/document prefixes.
 *
 * Vectors are always L2-normalised because the Encoder contract requires unit norm; the catalogue's
 * `normalize` flag records that the model was trained for cosine similarity.
 *
 * @example
 * const encoder = await OnnxSentenceEncoder.load(dir, entry, { version: 'v0' });
 * const [vector] = await encoder.embedQueries(['how do cells divide']);
 * await encoder.close();
 */
export class OnnxSentenceEncoder implements Encoder {
  readonly backboneId: string;
  readonly version: string;
  readonly dimensions: number;
  /** The entry's limit minus the document prefix, so a chunk of this many tokens fits once prefixed. */
  readonly maxTokens: number;
  #closed = false;
  readonly #ort: Ort;

  private constructor(
    ort: Ort,
    private readonly inner: InferenceSession,
    /** The onnxruntime execution provider this encoder runs on, and why. */
    readonly runtime: InferenceRuntime,
    private readonly tokenizer: TextTokenizer,
    private readonly entry: ModelEntry,
    private readonly batchSize: number,
    version: string,
  ) {
    this.#ort = ort;
    this.backboneId = entry.id;
    this.version = version;
    this.dimensions = entry.dimensions;
    this.maxTokens = Math.max(1, entry.maxTokens - tokenizer.countBare(entry.documentPrefix));
  }

  /**
   * Loads an installed model folder and checks that it produces `entry.dimensions`-sized vectors.
   * @throws DriftlessError NOT_FOUND (missing file), CORRUPT (unloadable model or tokenizer, wrong dimensions).
   */
  static async load(
    modelDir: string,
    entry: ModelEntry,
    options: OnnxEncoderOptions,
  ): Promise<OnnxSentenceEncoder> {
    const fileOf = (role: string) => entry.files.find((f) => f.role === role)?.path;
    const modelFile = await requireFile(modelDir, fileOf('model') as string);
    const tokenizerFile = await requireFile(modelDir, fileOf('tokenizer') as string);
    const configPath = fileOf('tokenizerConfig');
    const configFile = configPath ? await requireFile(modelDir, configPath) : undefined;
    const tokenizer = await TextTokenizer.load(tokenizerFile, configFile);
    // Imported here so that loading this module does not load the native binding.
    const ort = await import('onnxruntime-node');
    const { session, runtime } = await createSession(ort, modelFile, options.executionProviders);
    const encoder = new OnnxSentenceEncoder(
      ort,
      session,
      runtime,
      tokenizer,
      entry,
      options.batchSize ?? 32,
      options.version,
    );
    await encoder.#checkDimensions();
    return encoder;
  }

  countTokens(text: string): number {
    return this.tokenizer.ids(text).length;
  }

  async embedDocuments(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    return this.#embed(
      texts.map((t) => this.entry.documentPrefix + t),
      signal,
    );
  }

  async embedQueries(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    return this.#embed(
      texts.map((t) => this.entry.queryPrefix + t),
      signal,
    );
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.inner.release();
  }

  async #checkDimensions(): Promise<void> {
    const [probe] = await this.#embed(['probe']);
    if (probe?.length === this.dimensions) return;
    await this.close();
    throw new DriftlessError(
      'CORRUPT',
      `Model "${this.entry.id}" produces ${probe?.length}-dimensional vectors; the catalogue says ${this.dimensions}.`,
      { id: this.entry.id },
    );
  }

  async #embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    if (this.#closed) throw new DriftlessError('CONFLICT', `The encoder for "${this.entry.id}" is closed.`);
    const ids = texts.map((t) => this.tokenizer.truncatedIds(t, this.entry.maxTokens));
    const vectors: Float32Array[] = new Array<Float32Array>(texts.length);
    for (const bucket of lengthBuckets(
      ids.map((row) => row.length),
      this.batchSize,
    )) {
      throwIfAborted(signal);
      const batch = this.tokenizer.pad(bucket.map((i) => ids[i] as number[]));
      const pooled = await this.#run(batch);
      bucket.forEach((textIndex, row) => (vectors[textIndex] = normalizeL2(pooled[row] as Float32Array)));
    }
    return vectors;
  }

  async #run(batch: TokenBatch): Promise<Float32Array[]> {
    const shape = [batch.rows, batch.length];
    const feeds: Record<string, Tensor> = {
      input_ids: new this.#ort.Tensor('int64', batch.inputIds, shape),
      attention_mask: new this.#ort.Tensor('int64', batch.attentionMask, shape),
    };
    if (this.inner.inputNames.includes('token_type_ids'))
      feeds.token_type_ids = new this.#ort.Tensor('int64', new BigInt64Array(batch.inputIds.length), shape);
    const output = this.#outputName();
    // All outputs are fetched: onnxruntime-node 1.22 returns the wrong tensor when asked for a
    // subset of a multi-output model's outputs by name (seen with `sentence_embedding`).
    const results = await this.inner.run(feeds);
    const result = results[output];
    if (!result) throw new DriftlessError('CORRUPT', `Model "${this.entry.id}" did not produce "${output}".`);
    const data = result.data as Float32Array;
    const hidden = result.dims[result.dims.length - 1] as number;
    if (result.dims.length === 2) return splitRows(data, batch.rows, hidden);
    return poolTokenStates(data, batch.mask, batch.rows, batch.length, hidden, this.entry.pooling);
  }

  /** A model's own pooled output wins; otherwise token states are pooled here. */
  #outputName(): string {
    const names = this.inner.outputNames;
    if (names.includes('sentence_embedding')) return 'sentence_embedding';
    if (names.includes('last_hidden_state')) return 'last_hidden_state';
    return names[0] as string;
  }
}
