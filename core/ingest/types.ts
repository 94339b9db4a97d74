import type { NoteFormats } from './formats/index.ts';

/** A note parsed from one file: clean text plus the structure the chunker and filters need. */
export interface ParsedNote {
  title: string;
  /** Searchable plain text of the whole note (markup removed). */
  text: string;
  tags: string[];
  aliases: string[];
  links: string[];
  /** Sections in document order; offsets index into `text`. */
  sections: NoteSection[];
  /** Front matter dates, if any, as ISO strings. */
  created?: string;
  updated?: string;
}

export interface NoteSection {
  /** Heading titles from the top level down to this section; empty for text before any heading. */
  headingPath: string[];
  start: number;
  end: number;
}

/** One unit of retrieval: a piece of one section, small enough for the encoder. */
export interface NoteChunk {
  /** sha256 of the chunk's text and heading path: identical content gets the identical id. */
  chunkId: string;
  ordinal: number;
  headingPath: string[];
  text: string;
  start: number;
  end: number;
}

/** Why a file was not indexed; shown in the import report. */
export type SkipReason =
  | 'binary'
  | 'invalid-utf8'
  /** The file's name (not its content) is not valid UTF-8. */
  | 'invalid-name'
  | 'too-large'
  | 'unreadable'
  | 'empty'
  | 'vanished'
  | 'changed-during-read'
  | 'symlink-loop'
  | 'outside-root'
  | 'too-deep'
  | 'unsupported'
  | 'parse-error';

export interface SkippedFile {
  path: string;
  reason: SkipReason;
  message: string;
}

/** How a folder is walked; the same rules decide what the watcher reports. */
export interface ScanOptions {
  /** Extra ignore patterns in .gitignore syntax, relative to the root (a `!` pattern re-includes a default). */
  ignore?: readonly string[];
  /** Include dot-files and dot-folders (system folders such as `.git` and `node_modules` stay ignored). */
  includeHidden?: boolean;
  /** Folders nested deeper than this below the root are reported as 'too-deep' (default 32). */
  maxDepth?: number;
  /** The formats whose files are notes, by extension (default: every built-in format). */
  formats?: NoteFormats;
}

/** One result of a scan: a note file to index, or something that was passed over and why. */
export type ScanEntry =
  | { kind: 'file'; relPath: string; absPath: string; size: number; mtimeMs: number }
  | ({ kind: 'skipped' } & SkippedFile);

/** A batch of note changes from the watcher, as relative POSIX paths. */
export interface FolderChanges {
  changed: string[];
  removed: string[];
}
