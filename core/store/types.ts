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
  /** Modification time of the note, ms since the epoch. */
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
