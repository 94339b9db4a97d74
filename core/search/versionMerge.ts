import type { ScoredChunk } from '../store/index.ts';

/** One version's dense hits for a query, with the query vector used in that version's space. */
export interface VersionList {
  version: string;
  queryVector: Float32Array;
  chunks: ScoredChunk[];
}

/**
 * Merges per-version dense lists into one. Cosines from different encoder spaces (and from
 * compensated queries, which sit at a different distance from their documents) are not directly
 * comparable; this is the seam where ways to make them comparable are measured.
 */
export interface VersionMergeStrategy {
  readonly name: string;
  /** `query` is the query vector in the current version's own space. */
  merge(lists: readonly VersionList[], depth: number, query: Float32Array): Promise<ScoredChunk[]>;
}

/** Raw cosine from every space, compared as-is: the baseline the others are measured against. */
export function rawCosineMerge(): VersionMergeStrategy {
  return {
    name: 'raw-cosine',
    merge: async (lists, depth) =>
      lists
        .flatMap((list) => list.chunks)
        .sort((a, b) => b.score - a.score)
        .slice(0, depth),
  };
}

/**
 * Merge by rank: RRF over the per-version lists, so only each version's own ordering counts.
 * Ties (equal ranks in different versions) go to the higher cosine. The score becomes the RRF value.
 */
export function rankMerge(k = 60): VersionMergeStrategy {
  return {
    name: `rank-rrf-${k}`,
    merge: async (lists, depth) =>
      lists
        .flatMap((list) => list.chunks.map((chunk, rank) => ({ chunk, rrf: 1 / (k + rank + 1) })))
        .sort((a, b) => b.rrf - a.rrf || b.chunk.score - a.chunk.score)
        .slice(0, depth)
        .map(({ chunk, rrf }) => ({ ...chunk, score: rrf })),
  };
}

/** Maps an older version's stored vectors into the current space (core/compat `ForwardMap`). */
export interface StoredVectorMap {
  /** The query's score with each stored row's image, in the order given. */
  scoreCandidates(query: Float32Array, rows: readonly { id: string; stored: Float32Array }[]): number[];
}

/** What the forward merge needs from the index and the version store. */
export interface ForwardScoring {
  /** The map of `version`'s stored vectors into the current space; undefined for the current one. */
  forwardFor(version: string): StoredVectorMap | undefined;
  storedVectors(chunkIds: readonly string[], version: string): Promise<Map<string, Float32Array>>;
}

/**
 * One space, one scale: every candidate of an older segment (found with the map's search vector) is
 * rescored as the cosine of the current query with its stored vector mapped into the current
 * space, so all rows compete on the same score as natively embedded ones, and a segment wins top
 * slots only for hits that deserve them. When more than one segment has no map (rows of versions
 * published before forward maps existed, searched through query-side compensators), their cosines
 * live in different spaces and the lists are merged by `fallback`.
 */
export function forwardMerge(scoring: ForwardScoring, fallback = rankMerge()): VersionMergeStrategy {
  return {
    name: 'forward-score',
    merge: async (lists, depth, query) => {
      if (lists.length <= 1) return (lists[0]?.chunks ?? []).slice(0, depth);
      const maps = lists.map((list) => scoring.forwardFor(list.version));
      if (maps.filter((map) => !map).length > 1) return fallback.merge(lists, depth, query);
      const rescored = await Promise.all(
        lists.map(async (list, i) => {
          const map = maps[i];
          if (!map) return list.chunks;
          const ids = list.chunks.map((chunk) => chunk.chunkId);
          const stored = await scoring.storedVectors(ids, list.version);
          const found = list.chunks.filter((chunk) => stored.has(chunk.chunkId));
          const rows = found.map((chunk) => ({ id: chunk.chunkId, stored: stored.get(chunk.chunkId)! }));
          const scores = map.scoreCandidates(query, rows);
          return found.map((chunk, i) => ({ ...chunk, score: scores[i]! }));
        }),
      );
      return rescored
        .flat()
        .sort((a, b) => b.score - a.score)
        .slice(0, depth);
    },
  };
}

/** A sample of one version's stored document vectors, or undefined when none is known. */
export type BackgroundOf = (version: string) => Promise<readonly Float32Array[] | undefined>;

const MIN_BACKGROUND = 8;

/**
 * Calibrated-score merge: each cosine becomes a z-score against the query's cosines to a sample of
 * that version's own documents (the null distribution in that space). A compensated query whose
 * cosines are all lower, or a space where every document looks alike, is judged against its own
 * background, so a hit scores by how much it stands out there. Versions without a usable sample
 * fall back to the spread of their own hit list.
 */
export function calibratedMerge(backgroundOf: BackgroundOf): VersionMergeStrategy {
  return {
    name: 'calibrated-z',
    merge: async (lists, depth) => {
      // One space needs no calibration (and then no background sample is read).
      if (lists.length <= 1) return (lists[0]?.chunks ?? []).slice(0, depth);
      const calibrated = await Promise.all(
        lists.map(async (list) => {
          const background = await backgroundOf(list.version);
          const { mean, std } = nullStats(list, background);
          return list.chunks.map((chunk) => ({ ...chunk, score: (chunk.score - mean) / std }));
        }),
      );
      return calibrated
        .flat()
        .sort((a, b) => b.score - a.score)
        .slice(0, depth);
    },
  };
}

function nullStats(list: VersionList, background: readonly Float32Array[] | undefined) {
  const scores =
    background && background.length >= MIN_BACKGROUND
      ? background.map((vector) => dot(list.queryVector, vector))
      : list.chunks.map((chunk) => chunk.score);
  const mean = scores.reduce((a, b) => a + b, 0) / Math.max(1, scores.length);
  const variance = scores.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, scores.length);
  return { mean, std: Math.max(Math.sqrt(variance), 1e-3) };
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * (b[i] ?? 0);
  return sum;
}
