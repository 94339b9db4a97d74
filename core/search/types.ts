import type { Encoder } from '../encoder/types.ts';
import type { SearchFilters } from './filters.ts';
import type { FusionStrategy } from './fusion.ts';
import type { QueryChip, SearchHit } from './hits.ts';
import type { NoteEvidence } from './noteEvidence.ts';
import type { QuerySyntax } from './parseQuery.ts';
import type { RelevanceFloors } from './relevanceFloor.ts';
import type { Reranker } from './reranker.ts';
import type { VersionMergeStrategy } from './versionMerge.ts';

export type SearchMode = 'hybrid' | 'dense' | 'text';

export interface SearchRequest {
  query: string;
  /** Notes to return (default 20). */
  limit?: number;
  filters?: SearchFilters;
  /** 'hybrid' fuses dense and full text and applies exact-match boosts; the others are raw retrievers. */
  mode?: SearchMode;
}

export interface SearchResult {
  /** The notes that match: they hold the query's words, or are as close in meaning as the floor asks. */
  hits: SearchHit[];
  /** Notes found only by meaning, below the relevance floor: shown apart (empty without a floor). */
  related: SearchHit[];
  /** How the query was understood: its filters, phrases and exclusions. */
  understood: QueryChip[];
  /** Encoder versions whose vector space was searched. */
  versionsSearched: string[];
}

/**
 * The query vector to use for each encoder version searched, given the query embedded by the
 * current encoder. The default searches only the current version; drift compensation plugs in here.
 */
export type VectorsByVersion = (
  queryVector: Float32Array,
  encoder: Encoder,
) => Promise<Map<string, Float32Array>>;

/** A `folder:` value (a folder's name or id) to its id, or why no folder matches it. */
export type FolderResolver = (ref: string) => string | { problem: string };

/** The user's pins and hides as search reads them: hidden notes never show, pinned ones rank first. */
export interface NoteMarksView {
  isHidden(note: { folderId: string; notePath: string }): boolean;
  isPinned(note: { folderId: string; notePath: string }): boolean;
}

export interface SearchOptions {
  /**
   * How to read the query (see QuerySyntax): 'full' for what a person typed in the search box,
   * 'plain' (the default) for text that was never written as a query.
   */
  querySyntax?: QuerySyntax;
  /** Pins and hides to apply (none by default: evaluation searches rank without them). */
  marks?: NoteMarksView;
  /** Resolves `folder:` values; by default a value is taken as the folder's id. */
  resolveFolder?: FolderResolver;
  fusion?: FusionStrategy;
  /** How a note's chunks add up to its score in each retriever's list (default: its best chunk). */
  noteEvidence?: NoteEvidence;
  vectorsByVersion?: VectorsByVersion;
  /** How per-version dense lists merge into one (default: by rank, RRF). */
  versionMerge?: VersionMergeStrategy;
  /**
   * The dense cosines a note found only by meaning needs to be a hit, or to be related (see
   * `floorsFrom`). Undefined (the default): every candidate is a hit.
   */
  relevanceFloors?: RelevanceFloors;
  /** Reorders the matches after grouping, given the query (default: `keepFusedOrder`). */
  reranker?: Reranker;
  /** Chunks each retriever returns per requested note (default 5, at least 50 in all). */
  depthPerNote?: number;
  /** Chunks no retriever returns (the gate hides the chunk a held-out query was copied from). */
  excludeChunkIds?: readonly string[];
}
