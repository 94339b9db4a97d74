import { calibratedMerge, reciprocalRankFusion, type BackgroundOf } from '../../search/index.ts';
import type { DocHit } from './familyIndex.ts';

/** How the ranked lists of different version segments become one ranking. */
export type SegmentMerge = 'rrf' | 'score';

/** One segment's hits for a query and the query vector searched in that segment's space. */
export interface SegmentHits {
  version: string;
  queryVector: Float32Array;
  hits: DocHit[];
}

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

/**
 * The app's merge (`calibratedMerge` of core/search): each cosine becomes a z-score against the
 * query's cosines to a background sample of its own segment, then the lists are merged by that.
 */
export async function mergeCalibrated(
  segments: readonly SegmentHits[],
  backgroundOf: BackgroundOf,
  depth: number,
): Promise<string[]> {
  const keyOf = new Map(segments.flatMap((segment) => segment.hits.map((hit) => [hit.chunk.id, hit.key])));
  const lists = segments.map((segment) => ({
    version: segment.version,
    queryVector: segment.queryVector,
    chunks: segment.hits.map((hit) => hit.chunk),
  }));
  const merged = await calibratedMerge(backgroundOf).merge(lists, depth, lists[0]!.queryVector);
  return merged.map((chunk) => keyOf.get(chunk.id)!);
}
