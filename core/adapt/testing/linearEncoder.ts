import fs from 'node:fs/promises';
import path from 'node:path';
import type { Encoder } from '../../encoder/index.ts';
import { FeatureHashingEncoder } from '../../testing/index.ts';

export const LINEAR_WEIGHTS_FILE = 'linear.json';

/**
 * TEST FIXTURE. A feature-hashing encoder followed by a trainable d x d matrix W (row-major):
 * embed(text) = normalise(W * hashing(text)). Changing W changes every vector, so an update forces
 * a real re-embedding, like the top layers of the real encoder.
 */
export class LinearEncoder implements Encoder {
  readonly backboneId = 'feature-hashing';
  readonly maxTokens = 512;
  readonly #base: FeatureHashingEncoder;

  constructor(
    readonly dimensions: number,
    readonly version: string,
    readonly matrix: Float64Array = identity(dimensions),
  ) {
    this.#base = new FeatureHashingEncoder({ dimensions, version });
  }

  countTokens(text: string): number {
    return this.#base.countTokens(text);
  }

  /** The hashing features before W: what the trainer differentiates through. */
  features(text: string): Float64Array {
    return Float64Array.from(this.#base.embed(text));
  }

  embed(text: string): Float32Array {
    return unit(multiply(this.matrix, this.features(text), this.dimensions));
  }

  async embedDocuments(texts: readonly string[]): Promise<Float32Array[]> {
    return texts.map((text) => this.embed(text));
  }

  async embedQueries(texts: readonly string[]): Promise<Float32Array[]> {
    return texts.map((text) => this.embed(text));
  }

  async close(): Promise<void> {}

  withVersion(version: string): LinearEncoder {
    return new LinearEncoder(this.dimensions, version, this.matrix);
  }

  async save(dir: string): Promise<void> {
    const body = { dims: this.dimensions, matrix: Array.from(this.matrix) };
    await fs.writeFile(path.join(dir, LINEAR_WEIGHTS_FILE), JSON.stringify(body));
  }
}

/** Loads a fixture version's encoder from its version folder. */
export async function loadLinearEncoder(versionDir: string, version: string): Promise<LinearEncoder> {
  const raw = await fs.readFile(path.join(versionDir, LINEAR_WEIGHTS_FILE), 'utf8');
  const { dims, matrix } = JSON.parse(raw) as { dims: number; matrix: number[] };
  return new LinearEncoder(dims, version, Float64Array.from(matrix));
}

export function identity(dims: number): Float64Array {
  const m = new Float64Array(dims * dims);
  for (let i = 0; i < dims; i++) m[i * dims + i] = 1;
  return m;
}

export function multiply(matrix: Float64Array, x: ArrayLike<number>, dims: number): Float64Array {
  const out = new Float64Array(dims);
  for (let i = 0; i < dims; i++) {
    let sum = 0;
    for (let j = 0; j < dims; j++) sum += matrix[i * dims + j]! * x[j]!;
    out[i] = sum;
  }
  return out;
}

export function unit(x: Float64Array): Float32Array {
  const norm = Math.hypot(...x);
  return Float32Array.from(x, (value) => (norm > 0 ? value / norm : 0));
}
