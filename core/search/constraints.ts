import type { ChunkFilters, NoteIndex, ScoredChunk } from '../store/index.ts';
import { noteKeyOf } from './grouping.ts';
import type { ParsedQuery } from './parseQuery.ts';
import type { NoteMarksView } from './types.ts';

/** Chunks looked up per excluded word or phrase: notes with any of them are dropped. */
const EXCLUDE_DEPTH = 10_000;

/** Which notes a query's phrases require and its `-word`s rule out. */
export interface NoteConstraints {
  /** Chunks containing each phrase, in the order of `parsed.phrases` (they also rank as lists). */
  phraseChunks: ScoredChunk[][];
  allows(note: { folderId: string; notePath: string }): boolean;
}

const keysOf = (chunks: readonly ScoredChunk[]) => new Set(chunks.map(noteKeyOf));

/**
 * Looks up the notes holding each quoted phrase (exact word order, see NoteIndex.textSearch) and each
 * excluded term. A note is allowed when it holds one phrase of every required group and no excluded
 * term, and the user has not hidden it. Phrase lookups go `depth` chunks deep, like the other retrievers.
 */
export async function noteConstraints(
  index: NoteIndex,
  parsed: ParsedQuery,
  filters: ChunkFilters,
  depth: number,
  marks?: NoteMarksView,
): Promise<NoteConstraints> {
  const [phraseChunks, excludedChunks] = await Promise.all([
    Promise.all(
      parsed.phrases.map((phrase) => index.textSearch(phrase, { k: depth, filters, phrase: true })),
    ),
    Promise.all(
      parsed.excluded.map((term) =>
        index.textSearch(term, { k: EXCLUDE_DEPTH, filters, phrase: /\s/.test(term) }),
      ),
    ),
  ]);
  const notesWith = new Map(parsed.phrases.map((phrase, i) => [phrase, keysOf(phraseChunks[i] ?? [])]));
  const required = parsed.requiredPhrases.map((group) => group.map((phrase) => notesWith.get(phrase)!));
  const excluded = keysOf(excludedChunks.flat());
  return {
    phraseChunks,
    allows(note) {
      const key = noteKeyOf(note);
      if (marks?.isHidden(note)) return false;
      return !excluded.has(key) && required.every((group) => group.some((notes) => notes.has(key)));
    },
  };
}
