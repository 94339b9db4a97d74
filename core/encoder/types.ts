import type { InferenceRuntime } from './executionProviders.ts';

/** Counts tokens the way an encoder will see them; the chunker splits by it. */
export interface TokenCounter {
  /** The longest input, in tokens, that the encoder reads without truncating. */
  readonly maxTokens: number;
  countTokens(text: string): number;
}

/**
 * A text encoder at one immutable version. Vectors are unit-norm Float32Arrays of `dimensions`.
 * Queries and documents are separate calls because some models prefix them differently.
 */
export interface Encoder extends TokenCounter {
  /** The pretrained backbone, e.g. 'use-lite' or 'all-MiniLM-L6-v2'. */
  readonly backboneId: string;
  /** The encoder version that produced this encoder's vectors, e.g. 'v0'. */
  readonly version: string;
  readonly dimensions: number;
  /** The onnxruntime execution provider it runs on, and why; absent for encoders of other runtimes. */
  readonly runtime?: InferenceRuntime;
  embedDocuments(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]>;
  embedQueries(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]>;
  /** Releases native sessions; safe to call more than once. */
  close(): Promise<void>;
}
