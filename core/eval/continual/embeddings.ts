import type { Encoder } from '../../encoder/index.ts';

/** One encoder version of a chain: its label in the index and the encoder the trainer continues from. */
export interface Version {
  label: string;
  encoder: Encoder;
}

/**
 * Embeddings by (version, side, text), so a version never embeds the same text twice in a run
 * (v0 is shared by every chain). Reindexing bypasses it, so its cost is measured honestly.
 */
export class EmbeddingCache {
  readonly #vectors = new Map<string, Float32Array>();

  async documents(
    version: Version,
    texts: readonly string[],
    signal?: AbortSignal,
  ): Promise<{ vectors: Float32Array[]; computed: number }> {
    return this.#embed(version, 'd', texts, (todo) => version.encoder.embedDocuments(todo, signal));
  }

  async queries(version: Version, texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const { vectors } = await this.#embed(version, 'q', texts, (todo) =>
      version.encoder.embedQueries(todo, signal),
    );
    return vectors;
  }

  async #embed(
    version: Version,
    side: 'd' | 'q',
    texts: readonly string[],
    run: (todo: string[]) => Promise<Float32Array[]>,
  ): Promise<{ vectors: Float32Array[]; computed: number }> {
    const key = (text: string) => `${version.label}\u0000${side}\u0000${text}`;
    const todo = [...new Set(texts.filter((text) => !this.#vectors.has(key(text))))];
    if (todo.length > 0) {
      const fresh = await run(todo);
      todo.forEach((text, i) => this.#vectors.set(key(text), fresh[i]!));
    }
    return { vectors: texts.map((text) => this.#vectors.get(key(text))!), computed: todo.length };
  }
}
