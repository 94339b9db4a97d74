export { searchNotes, searchNotesRanked } from './searchNotes.ts';
export type { RankingOptions } from './searchNotes.ts';
export { parseQuery } from './parseQuery.ts';
export type { ParsedQuery, QuerySyntax } from './parseQuery.ts';
export { pathToGlob, periodBounds } from './queryOperators.ts';
export { chunkKey, minMaxScoreFusion, reciprocalRankFusion, weightedRankFusion } from './fusion.ts';
export type { FusedChunk, FusionStrategy, RankedList } from './fusion.ts';
export { makeSnippet, matcher } from './highlight.ts';
export { DEFAULT_NOTE_EVIDENCE } from './noteEvidence.ts';
export type { NoteEvidence } from './noteEvidence.ts';
export type { Range, Snippet } from './highlight.ts';
export { mergeFilters } from './filters.ts';
export type { SearchFilters } from './filters.ts';
export type { QueryChip, SearchHit } from './hits.ts';
export { currentVersionOnly } from './retrieve.ts';
export { keepFusedOrder } from './reranker.ts';
export type { Reranker } from './reranker.ts';
export type { NoteGroup } from './grouping.ts';
export { MeasuredFloors } from './floorCache.ts';
export type { RelevanceFloors } from './relevanceFloor.ts';
export type {
  FolderResolver,
  NoteMarksView,
  SearchMode,
  SearchOptions,
  SearchRequest,
  SearchResult,
  VectorsByVersion,
} from './types.ts';
export { calibratedMerge, forwardMerge, rankMerge, rawCosineMerge } from './versionMerge.ts';
export type {
  BackgroundOf,
  ForwardScoring,
  StoredVectorMap,
  VersionList,
  VersionMergeStrategy,
} from './versionMerge.ts';
