import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-node';
import { DriftlessError, throwIfAborted } from '../../base/index.ts';
import type { Encoder, UseLiteTokenizer } from '../../encoder/index.ts';
import { MODEL_IO } from '../../encoder/index.ts';
import { bucketByLength, toDenseInputs } from '../../encoder/useLite/batching.ts';
import type { Batch } from '../../encoder/useLite/batching.ts';

/** Reads the trainable weights of an encoder version by name, for training the next version from it. */
export interface TrainableSource {
  readTrainableTensors(): Promise<ReadonlyMap<string, Float32Array>>;
}

/** True when `encoder` can hand its trainable weights to the trainer. */
export function isTrainableSource(encoder: unknown): encoder is TrainableSource {
  return typeof (encoder as Partial<TrainableSource> | null)?.readTrainableTensors === 'function';
}

const BATCH_ROWS = 32;
const MAX_BATCH_TOKENS = 32 * 256;

/**
 * A retrained USE-lite version on onnxruntime: the same tokenizer, length bucketing and model
 * inputs as the bundled encoder, over a model built from the frozen part and this version's
 * trainable weights.
 */
export class UseLiteVersionEncoder implements Encoder, TrainableSource {
  readonly backboneId = 'use-lite';
  readonly dimensions = 512;
  private closed = false;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly tokenizer: UseLiteTokenizer,
    readonly version: string,
    private readonly trainable: () => Promise<ReadonlyMap<string, Float32Array>>,
  ) {}

  /** Opens `model` (ONNX bytes or a file path) with the bundled tokenizer. */
  static async open(args: {
    model: Uint8Array | string;
    tokenizer: UseLiteTokenizer;
    version: string;
    trainable: () => Promise<ReadonlyMap<string, Float32Array>>;
    threads?: number;
  }): Promise<UseLiteVersionEncoder> {
    const options: ort.InferenceSession.SessionOptions = {
      intraOpNumThreads: args.threads ?? Math.max(1, Math.min(availableParallelism(), 8)),
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    };
    try {
      const session =
        typeof args.model === 'string'
          ? await ort.InferenceSession.create(args.model, options)
          : await ort.InferenceSession.create(args.model, options);
      return new UseLiteVersionEncoder(session, args.tokenizer, args.version, args.trainable);
    } catch (error) {
      throw new DriftlessError(
        'CORRUPT',
        `The model of encoder version ${args.version} could not be loaded.`,
        {
          version: args.version,
        },
        { cause: error },
      );
    }
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

  readTrainableTensors(): Promise<ReadonlyMap<string, Float32Array>> {
    return this.trainable();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.catch(() => undefined);
    await this.session.release();
  }

  private async embed(texts: readonly string[], signal: AbortSignal | undefined): Promise<Float32Array[]> {
    if (this.closed) throw new DriftlessError('CONFLICT', 'The encoder has been closed.');
    const encoded = texts.map((text) => this.tokenizer.encodeTruncated(text));
    const vectors = new Array<Float32Array>(texts.length);
    for (const batch of bucketByLength(encoded, BATCH_ROWS, Math.max(MAX_BATCH_TOKENS, this.maxTokens))) {
      throwIfAborted(signal);
      const rows = await this.enqueue(() => this.runBatch(batch));
      batch.positions.forEach((position, i) => {
        vectors[position] = rows[i] ?? new Float32Array(this.dimensions);
      });
    }
    return vectors;
  }

  private async runBatch(batch: Batch): Promise<Float32Array[]> {
    if (this.closed) throw new DriftlessError('CONFLICT', 'The encoder has been closed.');
    const { inputIds, mask, width } = toDenseInputs(batch.ids);
    const dims = [batch.ids.length, width];
    const output = await this.session.run(
      {
        [MODEL_IO.inputIds]: new ort.Tensor('int64', inputIds, dims),
        [MODEL_IO.attentionMask]: new ort.Tensor('int64', mask, dims),
      },
      [MODEL_IO.embedding],
    );
    const data = output[MODEL_IO.embedding]?.data;
    if (!(data instanceof Float32Array))
      throw new DriftlessError('INTERNAL', 'The encoder returned no embeddings.');
    return batch.ids.map((_, row) => data.slice(row * this.dimensions, (row + 1) * this.dimensions));
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work, work);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
