import { reciprocalRankFusion } from '../../search/index.ts';
import type { DocHit } from './familyIndex.ts';

/** How the ranked lists of different version segments become one ranking. */
export type SegmentMerge = 'rrf' | 'score';

const RRF_K = 60;

/**
 * Merges per-segment document lists (each searched in its own, compensated, space) into one ranking
 * of document keys. 'rrf' uses only each segment's own order (reciprocal rank fusion); 'score'
 * compares the cosines across spaces as they are.
 */
export function mergeSegments(lists: readonly DocHit[][], merge: SegmentMerge, depth: number): string[] {
  if (lists.length === 1) return lists[0]!.slice(0, depth).map((hit) => hit.key);
  const keyOf = new Map(lists.flat().map((hit) => [hit.chunk, hit.key]));
  const ranked =
    merge === 'rrf'
      ? reciprocalRankFusion(RRF_K)
          .fuse(lists.map((hits, i) => ({ name: `segment-${i}`, chunks: hits.map((hit) => hit.chunk) })))
          .map((fused) => fused.chunk)
      : lists
          .flat()
          .map((hit) => hit.chunk)
          .sort((a, b) => b.score - a.score);
  return ranked.slice(0, depth).map((chunk) => keyOf.get(chunk)!);
}
