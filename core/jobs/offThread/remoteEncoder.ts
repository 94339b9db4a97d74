import { DriftlessError, logAndContinue, throwIfAborted } from '../../base/index.ts';
import type { Encoder, TokenCounter } from '../../encoder/index.ts';
import type { EncoderInfo } from './calls.ts';
import type { OffThreadHost } from './host.ts';
import { unpackVectors, type PackedVectors } from './protocol.ts';

/**
 * An encoder that lives in the heavy-work thread: embedding runs there (onnxruntime blocks the
 * thread it runs on), token counting here with the same tokenizer. `close` releases it there.
 */
export class RemoteEncoder implements Encoder {
  readonly backboneId: string;
  readonly version: string;
  readonly dimensions: number;
  readonly handle: number;
  readonly #generation: number;
  #closed = false;

  constructor(
    readonly host: OffThreadHost,
    info: EncoderInfo,
    private readonly tokens: TokenCounter,
  ) {
    this.backboneId = info.backboneId;
    this.version = info.version;
    this.dimensions = info.dimensions;
    this.handle = info.handle;
    this.#generation = host.generation;
    host.retain();
  }

  /** Opens an encoder there with `method` (openEncoder, candidateEncoder) and wraps it. */
  static async open(
    host: OffThreadHost,
    method: string,
    args: unknown,
    tokens: TokenCounter,
  ): Promise<RemoteEncoder> {
    return new RemoteEncoder(host, await host.call<EncoderInfo>(method, args), tokens);
  }

  get maxTokens(): number {
    return this.tokens.maxTokens;
  }

  /** True while the worker that holds it is the running one. */
  get alive(): boolean {
    return !this.#closed && this.host.generation === this.#generation;
  }

  countTokens(text: string): number {
    return this.tokens.countTokens(text);
  }

  embedDocuments(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    return this.#embed('documents', texts, signal);
  }

  embedQueries(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    return this.#embed('queries', texts, signal);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.host.generation === this.#generation)
      await this.host
        .call('release', { handle: this.handle })
        .catch(logAndContinue('Releasing an encoder on the heavy-work thread'));
    this.host.release();
  }

  async #embed(side: 'queries' | 'documents', texts: readonly string[], signal?: AbortSignal) {
    throwIfAborted(signal);
    if (this.#closed) throw new DriftlessError('CONFLICT', 'The encoder has been closed.');
    if (!this.alive)
      throw new DriftlessError('INTERNAL', `The heavy-work thread holding encoder ${this.version} stopped.`);
    if (texts.length === 0) return [];
    const packed = await this.host.call<PackedVectors>(
      'embed',
      { handle: this.handle, side, texts: [...texts] },
      signal ? { signal } : {},
    );
    return unpackVectors(packed);
  }
}
