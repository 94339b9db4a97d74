import { SeededRandom } from '../base/index.ts';
import type { Encoder } from '../encoder/types.ts';
import type { NoteIndex } from '../store/index.ts';
import { noteKeyOf } from './grouping.ts';
import type { FloorSample } from './relevanceFloor.ts';

export interface FloorSampleOptions {
  /** Chunks to take a query from (default 48). */
  queries?: number;
  /**
   * Chunks of other notes each query is compared with (default 32): the match floor is the 99th
   * percentile of these pairs, so 48 x 32 pairs put about 15 above it; with 8 per query about 4 did,
   * and the floor moved with whichever notes happened to be sampled.
   */
  randomPerQuery?: number;
  /** Words per query: about what people type (default 4). */
  queryWords?: number;
  seed?: number;
}

/**
 * Measures self and random pairs on the encoder's own rows of this index: each sampled chunk
 * gives a query of a few consecutive words, scored (cosine, as dense search scores) against that
 * chunk's stored vector and against stored vectors of chunks from other notes.
 */
export async function measureFloorSample(
  index: NoteIndex,
  encoder: Encoder,
  options: FloorSampleOptions = {},
  signal?: AbortSignal,
): Promise<FloorSample> {
  const random = new SeededRandom(options.seed ?? 1);
  const wanted = options.queries ?? 48;
  // Read a wider sample and keep at most two chunks of a note: the floor describes the notes, so one
  // long note (a log of thousands of chunks) must not make most of the pairs.
  const rowIds = random.sample(await index.rowIdsOfVersion(encoder.version), wanted * ROWS_READ_PER_QUERY);
  const byId = new Map((await index.chunksByRowId(rowIds)).map((chunk) => [chunk.id, chunk]));
  const sampled = rowIds.flatMap((id) => byId.get(id) ?? []);
  const chunks = perNote(
    sampled.filter((chunk) => wordsOf(chunk.text).length >= (options.queryWords ?? 4)),
    CHUNKS_PER_NOTE,
  ).slice(0, wanted);
  if (new Set(chunks.map(noteKeyOf)).size < 2) return { self: [], random: [] };
  const queries = chunks.map((chunk) => wordSpan(chunk.text, options.queryWords ?? 4, random));
  const queryVectors = await encoder.embedQueries(queries, signal);
  const stored = await index.vectorsForChunks(
    chunks.map((chunk) => chunk.chunkId),
    encoder.version,
  );
  const sample = { self: [] as number[], random: [] as number[] };
  chunks.forEach((chunk, i) => {
    const query = queryVectors[i]!;
    const own = stored.get(chunk.chunkId);
    if (own) sample.self.push(cosine(query, own));
    const others = chunks.filter((other) => noteKeyOf(other) !== noteKeyOf(chunk));
    for (const other of random.sample(others, options.randomPerQuery ?? 32)) {
      const vector = stored.get(other.chunkId);
      if (vector) sample.random.push(cosine(query, vector));
    }
  });
  return sample;
}

/** Rows read per query chunk wanted, so that capping chunks per note still leaves enough. */
const ROWS_READ_PER_QUERY = 4;
const CHUNKS_PER_NOTE = 2;

/** The chunks in their order, at most `cap` of each note. */
function perNote<T extends Parameters<typeof noteKeyOf>[0]>(chunks: readonly T[], cap: number): T[] {
  const taken = new Map<string, number>();
  return chunks.filter((chunk) => {
    const count = taken.get(noteKeyOf(chunk)) ?? 0;
    taken.set(noteKeyOf(chunk), count + 1);
    return count < cap;
  });
}

const wordsOf = (text: string): string[] => text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? [];

/** `count` consecutive words from a random place in the text. */
function wordSpan(text: string, count: number, random: SeededRandom): string {
  const words = wordsOf(text);
  const start = random.int(words.length - count + 1);
  return words.slice(start, start + count).join(' ');
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    normA += a[i]! * a[i]!;
    normB += b[i]! * b[i]!;
  }
  return normA && normB ? dot / Math.sqrt(normA * normB) : 0;
}
