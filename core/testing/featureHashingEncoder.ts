import type { Encoder } from '../encoder/types.ts';

/** Lowercased word tokens (letters and digits), the unit both the encoder and its token count use. */
export function wordTokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** 32-bit FNV-1a: a stable, dependency-free string hash. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export interface FeatureHashingOptions {
  dimensions?: number;
  version?: string;
  maxTokens?: number;
}

/**
 * A deterministic bag-of-words encoder for tests: each token adds 1 to a hashed bucket and the vector
 * is L2-normalised, so cosine similarity measures word overlap. Real enough that dense search results
 * are meaningful, with no model files.
 */
export class FeatureHashingEncoder implements Encoder {
  readonly backboneId = 'feature-hashing';
  readonly version: string;
  readonly dimensions: number;
  readonly maxTokens: number;

  constructor(options: FeatureHashingOptions = {}) {
    this.dimensions = options.dimensions ?? 64;
    this.version = options.version ?? 'v0';
    this.maxTokens = options.maxTokens ?? 512;
  }

  countTokens(text: string): number {
    return wordTokens(text).length;
  }

  async embedDocuments(texts: readonly string[]): Promise<Float32Array[]> {
    return texts.map((text) => this.embed(text));
  }

  async embedQueries(texts: readonly string[]): Promise<Float32Array[]> {
    return texts.map((text) => this.embed(text));
  }

  async close(): Promise<void> {}

  /** One text's unit vector; an empty text maps to a fixed unit vector so cosine stays defined. */
  embed(text: string): Float32Array {
    const vector = new Float32Array(this.dimensions);
    for (const token of wordTokens(text).slice(0, this.maxTokens)) {
      const index = fnv1a(token) % this.dimensions;
      vector[index] = (vector[index] ?? 0) + 1;
    }
    const norm = Math.hypot(...vector);
    if (norm === 0) {
      vector[0] = 1;
      return vector;
    }
    return vector.map((value) => value / norm);
  }
}
