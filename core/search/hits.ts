/** One note found by a search: its best-matching chunk, with the snippet the window shows. */
export interface SearchHit {
  folderId: string;
  notePath: string;
  title: string;
  /** The heading path of the best-matching chunk. */
  headingPath: string[];
  /** Snippet text; matched terms are wrapped as ranges in `highlights` (offsets into snippet). */
  snippet: string;
  highlights: Array<[number, number]>;
  score: number;
  chunkId: string;
  start: number;
  end: number;
  modifiedMs: number;
  tags: string[];
  encoderVersion: string;
  /** Further matching chunks of the same note, best first. */
  moreChunks: number;
}

/** One part of a query as the search understood it (a filter, a phrase, an exclusion), shown as a chip. */
export interface QueryChip {
  kind: 'phrase' | 'anyOf' | 'exclude' | 'tag' | 'folder' | 'path' | 'after' | 'before';
  label: string;
}
