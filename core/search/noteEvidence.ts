import type { ScoredChunk } from '../store/index.ts';
import type { FusedChunk, FusionStrategy, RankedList } from './fusion.ts';
import { noteKeyOf } from './grouping.ts';
import type { NoteGroup } from './grouping.ts';

/** The row id every note's entry carries in note-level lists, so fusion keys it by note. */
const NOTE_ROW = '\u0000note';

/**
 * How a note's chunks add up in one retriever's list: a note scores as its best chunk plus
 * `chunkEvidence` times the sum of its other chunks' scores. 0 scores a note by its best chunk;
 * higher values let a long note whose chunks each match part of the query outrank a note with one
 * slightly better chunk. Full-text lists only: BM25 scores of a note's chunks add up much like a
 * BM25 over the note, while dense similarities of neighbouring chunks mostly repeat each other.
 */
export interface NoteEvidence {
  chunkEvidence: number;
}

export const DEFAULT_NOTE_EVIDENCE: NoteEvidence = { chunkEvidence: 0 };

interface NoteEntry {
  best: ScoredChunk;
  score: number;
}

function addsEvidence(list: RankedList): boolean {
  return list.name === 'text' || list.name.startsWith('phrase-');
}

/** One entry per note, best note first; the note's best chunk represents it. */
export function noteList(list: RankedList, evidence: NoteEvidence): RankedList {
  const weight = addsEvidence(list) ? evidence.chunkEvidence : 0;
  const notes = new Map<string, NoteEntry>();
  for (const chunk of list.chunks) {
    const key = noteKeyOf(chunk);
    const entry = notes.get(key);
    if (!entry) notes.set(key, { best: chunk, score: chunk.score });
    else entry.score += weight * chunk.score;
  }
  const chunks = [...notes.values()]
    .sort((a, b) => b.score - a.score)
    .map(({ best, score }) => ({ ...best, id: NOTE_ROW, score }));
  return { name: list.name, chunks };
}

/**
 * Fuses the retrievers' lists note by note (a note found by full text through one chunk and by
 * dense search through another gets both lists' evidence) and groups every candidate chunk under
 * its note, the chunk ranked highest in any list first.
 */
export function fuseNotes(
  lists: readonly RankedList[],
  fusion: FusionStrategy,
  evidence: NoteEvidence,
): NoteGroup[] {
  const fused: FusedChunk[] = fusion.fuse(lists.map((list) => noteList(list, evidence)));
  const chunksByNote = new Map<string, Map<string, { chunk: ScoredChunk; rank: number }>>();
  for (const list of lists) {
    list.chunks.forEach((chunk, rank) => {
      const noteChunks = chunksByNote.get(noteKeyOf(chunk)) ?? new Map();
      const seen = noteChunks.get(chunk.id);
      if (!seen || rank < seen.rank) noteChunks.set(chunk.id, { chunk, rank });
      chunksByNote.set(noteKeyOf(chunk), noteChunks);
    });
  }
  return fused.flatMap(({ chunk, score }): NoteGroup[] => {
    const candidates = [...(chunksByNote.get(noteKeyOf(chunk))?.values() ?? [])]
      .sort((a, b) => a.rank - b.rank)
      .map((entry) => entry.chunk);
    const [best] = candidates;
    return best ? [{ best, chunks: candidates, score, tier: 0 }] : [];
  });
}
