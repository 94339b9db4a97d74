import { noteKey, type NoteIndex } from '../store/index.ts';
import type { TrainingPair } from './types.ts';

/** A query the gate searches, every note that answers it, and the chunks hidden while it is judged. */
export interface GateQuery {
  query: string;
  /** The first pair's source: one query text comes from one signal. */
  source: TrainingPair['source'];
  notes: Set<string>;
  /** From a note of an older version (the gate's old-notes share). */
  oldNote: boolean;
  /** Chunks the query's text was copied from, which no search returns while it is judged. */
  hidden: string[];
}

/** A stored chunk as far as the gate needs it. */
export interface GateChunk {
  chunkId: string;
  title: string;
  headingPath: readonly string[];
  text: string;
}

/** The committed chunks of these notes (`folderId/notePath`, as the gate names them). */
export type ChunksOfNotes = (notes: readonly string[]) => Promise<Map<string, readonly GateChunk[]>>;

/**
 * One gate query per distinct query text, answered by any of its pairs' notes: a question with
 * several relevant notes (or several opened results) is judged by the first of them found, as a
 * user reads a list, not once per note with the others counted as misses.
 */
export function gateQueries(pairs: readonly TrainingPair[], oldNote: boolean): GateQuery[] {
  const byQuery = new Map<string, GateQuery>();
  for (const pair of pairs) {
    if (!pair.note) continue;
    const known = byQuery.get(pair.query);
    if (known) known.notes.add(pair.note);
    else
      byQuery.set(pair.query, {
        query: pair.query,
        source: pair.source,
        notes: new Set([pair.note]),
        oldNote,
        hidden: [],
      });
  }
  return [...byQuery.values()];
}

/**
 * The queries as evidence of search by meaning. A self-supervised query is a title, heading or
 * sentence copied from its note, so full text finds it whatever the encoder (full text alone
 * reached MRR@10 0.97-0.99 on the benchmark's held-out pairs of four collections) and a better
 * version cannot show. Each query is judged with the chunks it was copied from hidden, so its note must
 * be found by its other chunks, as a real question finds a note that does not repeat it; a
 * query copied into every chunk of its notes (a title) says nothing about meaning and is dropped.
 * Real queries (feedback) copy no chunk and are judged as typed.
 */
export async function hideCopiedChunks(
  queries: readonly GateQuery[],
  chunksOf: ChunksOfNotes,
): Promise<GateQuery[]> {
  const chunks = await chunksOf([...new Set(queries.flatMap((query) => [...query.notes]))]);
  // Normalised once per note, not once per query that names it.
  const normalisedOf = new Map(
    [...chunks].map(([note, list]) => [note, list.map((chunk) => normalisedChunk(chunk))]),
  );
  return queries.flatMap((query) => {
    const answers = [...query.notes].flatMap((note) => normalisedOf.get(note) ?? []);
    const hidden = answers.filter((chunk) => copies(chunk, query.query)).map((chunk) => chunk.chunkId);
    return hidden.length === answers.length ? [] : [{ ...query, hidden }];
  });
}

/** A chunk's title, headings and text as `copies` compares them. */
interface NormalisedChunk {
  chunkId: string;
  names: string[];
  text: string;
}

function normalisedChunk(chunk: GateChunk): NormalisedChunk {
  return {
    chunkId: chunk.chunkId,
    names: [chunk.title, ...chunk.headingPath].map(normalised),
    text: normalised(chunk.text),
  };
}

/** Word sequences shorter than this are too common to call a copy when half a query is found. */
const MIN_HALF_WORDS = 4;

/**
 * Whether a chunk holds the query: as its title or heading, or in its text, whole or a half of it
 * (a sentence that straddles a chunk boundary leaves a half in each chunk), ignoring case and spacing.
 */
function copies(chunk: NormalisedChunk, query: string): boolean {
  const wanted = normalised(query);
  if (chunk.names.includes(wanted)) return true;
  const { text } = chunk;
  if (text.includes(wanted)) return true;
  const words = wanted.split(' ');
  const half = Math.floor(words.length / 2);
  if (half < MIN_HALF_WORDS) return false;
  return text.includes(words.slice(0, half).join(' ')) || text.includes(words.slice(half).join(' '));
}

function normalised(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** `chunksOf` over the app's index, whose gate names notes `folderId/notePath` (folder ids have no `/`). */
export function indexChunksOf(index: NoteIndex): ChunksOfNotes {
  return async (notes) => {
    const byKey = new Map(
      notes.map((note) => {
        const slash = note.indexOf('/');
        return [noteKey({ folderId: note.slice(0, slash), notePath: note.slice(slash + 1) }), note];
      }),
    );
    const found = await index.chunksOfNotes([...byKey.keys()]);
    return new Map([...found].map(([key, chunks]) => [byKey.get(key)!, chunks]));
  };
}
