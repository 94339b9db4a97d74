import { sampleVersionVectors } from '../../versionSearch/index.ts';
import { NoteIndex } from '../../store/index.ts';
import type { ScoredChunk } from '../../store/index.ts';
import type { ChunkedCorpus } from './corpus.ts';
import { noteWrites } from './corpus.ts';

/** A search hit mapped back to its task and document; `key` is unique across tasks. */
export interface DocHit {
  key: string;
  docId: string;
  chunk: ScoredChunk;
}

/**
 * The index of one family of methods (a LanceDB NoteIndex): each task's corpus is one folder, and
 * every row keeps the encoder version that embedded it, so each version is a searchable segment.
 */
export class FamilyIndex {
  /** Each task's rows' versions, aligned with its corpus's chunks. */
  readonly #rowVersions = new Map<string, string[]>();
  /** Versions in the order their first rows were written. */
  readonly #written: string[] = [];
  readonly #noteToDoc = new Map<string, ReadonlyMap<string, string>>();
  #backgrounds: Promise<Map<string, Float32Array[]>> | undefined;

  private constructor(readonly inner: NoteIndex) {}

  static async open(dir: string, dimensions: number): Promise<FamilyIndex> {
    return new FamilyIndex(await NoteIndex.open(dir, { dimensions }));
  }

  /** Writes a task's corpus with vectors of `version`. */
  add(corpus: ChunkedCorpus, version: string, vectors: readonly Float32Array[]): Promise<void> {
    return this.addMixed(
      corpus,
      corpus.chunks.map(() => version),
      vectors,
    );
  }

  /**
   * Writes a task's corpus with each chunk's own version and vector (a partly backfilled index:
   * every chunk of a note in one version, as the app's backfill rewrites a note at a time).
   */
  async addMixed(
    corpus: ChunkedCorpus,
    versions: readonly string[],
    vectors: readonly Float32Array[],
  ): Promise<void> {
    const writes = [...new Set(versions)].flatMap((version) => {
      const only = corpus.chunks.flatMap((chunk, i) => (versions[i] === version ? [{ chunk, i }] : []));
      const part = { ...corpus, chunks: only.map(({ chunk }) => chunk) };
      return noteWrites(
        part,
        version,
        only.map(({ i }) => vectors[i]!),
      );
    });
    await this.inner.writeNotes(writes);
    await this.inner.optimize();
    this.#noteToDoc.set(corpus.folderId, corpus.noteToDoc);
    this.#rowVersions.set(corpus.folderId, [...versions]);
    this.#noteWritten(versions);
  }

  /**
   * Rewrites some rows of a task (whole notes) in `version` with these vectors, as the app keeps
   * the anchors a new version embedded to fit its forward maps.
   */
  async rewriteRows(
    corpus: ChunkedCorpus,
    rows: readonly number[],
    version: string,
    vectors: readonly Float32Array[],
  ): Promise<void> {
    const part = { ...corpus, chunks: rows.map((i) => corpus.chunks[i]!) };
    await this.inner.writeNotes(noteWrites(part, version, vectors));
    await this.inner.optimize();
    const versions = this.#rowVersions.get(corpus.folderId)!;
    for (const i of rows) versions[i] = version;
    this.#noteWritten([version]);
  }

  #noteWritten(versions: readonly string[]): void {
    for (const version of new Set(versions))
      if (!this.#written.includes(version)) this.#written.push(version);
    this.#backgrounds = undefined;
  }

  /** The document behind a note of a task, if the note is one of the corpus's. */
  docOf(folderId: string, notePath: string): string | undefined {
    const docId = this.#noteToDoc.get(folderId)?.get(notePath);
    return docId === undefined ? undefined : docKey(folderId, docId);
  }

  /** The encoder versions present, oldest written first. */
  versions(): string[] {
    return this.#written.filter((version) => this.tasksIn(version).length > 0);
  }

  /** The tasks whose rows a version segment holds. */
  tasksIn(version: string): string[] {
    return [...this.#rowVersions].flatMap(([task, versions]) => (versions.includes(version) ? [task] : []));
  }

  /** The version of each of a task's rows, aligned with its corpus's chunks. */
  rowVersionsOf(task: string): readonly string[] {
    return this.#rowVersions.get(task) ?? [];
  }

  /**
   * The best `depth` documents of one version segment (optionally one task's rows), best chunk per
   * document, in cosine order.
   */
  async searchDocs(
    vector: Float32Array,
    options: { version: string; task?: string; depth: number; rescore?: Rescore },
  ): Promise<DocHit[]> {
    const found = await this.inner.denseSearch(vector, {
      k: options.depth * 3,
      encoderVersion: options.version,
      ...(options.task ? { filters: { folderIds: [options.task] } } : {}),
    });
    const chunks = options.rescore ? await options.rescore(found, options.version) : found;
    const seen = new Set<string>();
    const hits: DocHit[] = [];
    for (const chunk of chunks) {
      const docId = this.#noteToDoc.get(chunk.folderId)?.get(chunk.notePath);
      const key = docId === undefined ? undefined : docKey(chunk.folderId, docId);
      if (key === undefined || seen.has(key)) continue;
      seen.add(key);
      hits.push({ key, docId: docId!, chunk });
      if (hits.length === options.depth) break;
    }
    return hits;
  }

  /** The stored vectors of a segment's chunks, by chunk id. */
  storedVectors(chunkIds: readonly string[], version: string): Promise<Map<string, Float32Array>> {
    return this.inner.vectorsForChunks(chunkIds, version);
  }

  /**
   * A seeded background sample of one version segment's stored vectors (`sampleVersionVectors`),
   * against which the calibrated merge judges a query's cosines in that space.
   */
  async background(version: string): Promise<Float32Array[] | undefined> {
    this.#backgrounds ??= sampleVersionVectors(this.inner);
    return (await this.#backgrounds).get(version);
  }

  async bytesOnDisk(): Promise<number> {
    return (await this.inner.stats()).bytesOnDisk;
  }

  async close(): Promise<void> {
    await this.inner.close();
  }
}

/** Rescores a segment's candidate chunks (e.g. in another space) and returns them best first. */
export type Rescore = (chunks: ScoredChunk[], version: string) => Promise<ScoredChunk[]>;

/** A document's key across tasks: two datasets may reuse an id. */
export function docKey(task: string, docId: string): string {
  return `${task}/${docId}`;
}
