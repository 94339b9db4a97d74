import type { NoteFormat } from '../ingest/index.ts';

/** One row of the chunk table: a chunk of a note and its vector from one encoder version. */
export interface ChunkRecord {
  /** Row key: unique per (note, chunk position); stable while the note's content is unchanged. */
  id: string;
  chunkId: string;
  folderId: string;
  /** Path relative to the folder root, with '/' separators. */
  notePath: string;
  title: string;
  headingPath: string[];
  text: string;
  tags: string[];
  start: number;
  end: number;
  /**
   * The note's own date, ms since the epoch: its front matter date, a day in its file name, else its
   * modification time (see ingest's noteDateMs). Date filters and results use it.
   */
  modifiedMs: number;
  /** sha256 of the whole note's bytes; the note revision this row belongs to. */
  noteHash: string;
  encoderVersion: string;
  vector: Float32Array;
}

/** A folder the user added; notes are stored relative to its root. */
export interface FolderRecord {
  id: string;
  root: string;
  addedMs: number;
}

/** The on-disk format a note was parsed from (the ingest domain's registry names them). */
export type { NoteFormat };

/** Identifies a note: its folder and its path inside that folder. */
export interface NoteKey {
  folderId: string;
  notePath: string;
}

/** The committed state of one note in the index. */
export interface NoteState extends NoteKey {
  noteHash: string;
  title: string;
  modifiedMs: number;
  chunkCount: number;
  format: NoteFormat;
}

/** One note to (re)write: its new state and every chunk of the new revision. */
export interface NoteWrite extends NoteKey {
  noteHash: string;
  title: string;
  modifiedMs: number;
  format: NoteFormat;
  /** Every chunk must carry this write's folderId, notePath and noteHash. */
  chunks: ChunkRecord[];
}

/** A chunk as search returns it (without its vector) and how well it matched. */
export type StoredChunk = Omit<ChunkRecord, 'vector'>;
export interface ScoredChunk extends StoredChunk {
  /** Dense: cosine similarity; full text: BM25 score. Higher is better. */
  score: number;
}

/** Restricts which chunks a search may return; every field narrows the result. */
export interface ChunkFilters {
  folderIds?: string[];
  /** A chunk matches when it has any of these tags. */
  tags?: string[];
  /** A picomatch glob on notePath. */
  pathGlob?: string;
  /** Inclusive lower bound on modifiedMs. */
  modifiedAfterMs?: number;
  /** Exclusive upper bound on modifiedMs. */
  modifiedBeforeMs?: number;
  /** Chunks no search may return (the gate hides the chunk a held-out query was copied from). */
  excludeChunkIds?: readonly string[];
}

export interface DenseSearchOptions {
  k: number;
  /** Only rows embedded by this encoder version (each version is its own vector space). */
  encoderVersion?: string;
  filters?: ChunkFilters;
}

export interface TextSearchOptions {
  k: number;
  filters?: ChunkFilters;
  /** Match the query as one exact phrase instead of as independent terms. */
  phrase?: boolean;
}

export interface IndexStats {
  notes: number;
  chunks: number;
  bytesOnDisk: number;
}

export interface NoteIndexOptions {
  /** Length of every vector in the index. */
  dimensions: number;
  /** Build an approximate vector index once the chunk table has this many rows (default DEFAULT_ANN_MIN_ROWS). */
  annMinRows?: number;
  /** Fold unindexed rows into the full-text index once this many have accumulated (default 20,000). */
  ftsFoldRows?: number;
  /**
   * Seconds between checks for writes by other processes; 0 checks on every read. Undefined means
   * this handle only sees its own writes (the fastest, for a single writer process).
   */
  readConsistencyIntervalSeconds?: number;
  /**
   * Delete leftovers of interrupted writes on open (default false). Only the process holding the
   * writer lock may repair: in another process an in-flight write looks exactly like a leftover.
   */
  repairOnOpen?: boolean;
  /**
   * An index too damaged to open (INDEX_DAMAGED) opens anyway, as one whose every call fails with
   * that error, as after damage found while open (default false: open throws it). For `status`,
   * which reports the damage with everything else it knows.
   */
  openDamaged?: boolean;
}
