import type { ScoredChunk } from '../store/index.ts';
import type { FusedChunk } from './fusion.ts';

/** One note's candidates: its best chunk represents it. */
export interface NoteGroup {
  best: ScoredChunk;
  /** Every candidate chunk of the note, best first (includes `best`). */
  chunks: ScoredChunk[];
  score: number;
  /** 0 for ordinary matches; boosts raise it so exact matches rank first. */
  tier: number;
}

export function noteKeyOf(chunk: { folderId: string; notePath: string }): string {
  return `${chunk.folderId}\u001f${chunk.notePath}`;
}

/** Groups fused chunks by note, keeping the fused order; a note scores as its best chunk. */
export function groupByNote(fused: readonly FusedChunk[]): NoteGroup[] {
  const groups = new Map<string, NoteGroup>();
  for (const { chunk, score } of fused) {
    const key = noteKeyOf(chunk);
    const group = groups.get(key);
    if (group) group.chunks.push(chunk);
    else groups.set(key, { best: chunk, chunks: [chunk], score, tier: 0 });
  }
  return [...groups.values()];
}

/** Highest tier first, then highest score. */
export function rankGroups(groups: readonly NoteGroup[]): NoteGroup[] {
  return [...groups].sort((a, b) => b.tier - a.tier || b.score - a.score);
}
