import type { ScoredChunk } from '../store/index.ts';

/** One retriever's ranking, best first. */
export interface RankedList {
  name: string;
  chunks: ScoredChunk[];
}

/** A chunk with its fused score. */
export interface FusedChunk {
  chunk: ScoredChunk;
  score: number;
}

/** Combines several rankings into one; the seam where fusion alternatives are measured. */
export interface FusionStrategy {
  readonly name: string;
  fuse(lists: readonly RankedList[]): FusedChunk[];
}

/** Identifies a chunk row across lists (row ids are unique within a note). */
export function chunkKey(chunk: ScoredChunk): string {
  return `${chunk.folderId}\u001f${chunk.notePath}\u001f${chunk.id}`;
}

function fuseBy(
  lists: readonly RankedList[],
  contribution: (list: RankedList, rank: number) => number,
): FusedChunk[] {
  const fused = new Map<string, FusedChunk>();
  for (const list of lists) {
    list.chunks.forEach((chunk, rank) => {
      const key = chunkKey(chunk);
      const entry = fused.get(key) ?? { chunk, score: 0 };
      entry.score += contribution(list, rank);
      fused.set(key, entry);
    });
  }
  return [...fused.values()].sort((a, b) => b.score - a.score);
}

/** Reciprocal rank fusion: each list adds 1 / (k + rank), rank from 1. Ignores raw scores. */
export function reciprocalRankFusion(k = 60): FusionStrategy {
  return { name: `rrf-${k}`, fuse: (lists) => fuseBy(lists, (_list, rank) => 1 / (k + rank + 1)) };
}

/**
 * Reciprocal rank fusion with a weight per list name (missing names weigh 1). A weak encoder's
 * dense list otherwise pulls exact word matches down as much as it lifts paraphrases up.
 */
export function weightedRankFusion(weights: Readonly<Record<string, number>>, k = 60): FusionStrategy {
  const label = Object.entries(weights)
    .map(([name, weight]) => `${name}=${weight}`)
    .join(',');
  return {
    name: `rrf-${k}(${label})`,
    fuse: (lists) => fuseBy(lists, (list, rank) => (weights[list.name] ?? 1) / (k + rank + 1)),
  };
}

/** Adds each list's scores after min-max scaling them to [0, 1]: uses score gaps that RRF drops. */
export function minMaxScoreFusion(): FusionStrategy {
  return {
    name: 'min-max',
    fuse: (lists) => {
      const ranges = new Map(lists.map((list) => [list, scoreRange(list.chunks)]));
      return fuseBy(lists, (list, rank) => {
        const [min, max] = ranges.get(list) ?? [0, 0];
        const score = list.chunks[rank]?.score ?? min;
        return max > min ? (score - min) / (max - min) : 1;
      });
    },
  };
}

function scoreRange(chunks: readonly ScoredChunk[]): [number, number] {
  const scores = chunks.map((chunk) => chunk.score);
  return [Math.min(...scores), Math.max(...scores)];
}
