export { chunkContentId, chunkEmbeddingText, chunkNote, defaultChunkTokens } from './chunk/chunker.ts';
export type { ChunkOptions } from './chunk/chunker.ts';
export { createNoteFormats, looksBinary, noteFormat, noteFormats } from './formats/index.ts';
export type { NoteFormat, NoteFormatDefinition, NoteFormats } from './formats/index.ts';
export { IGNORE_FILE_NAMES, SYSTEM_IGNORES } from './ignoreRules.ts';
export { noteDateMs, noteDateOfSource } from './noteDate.ts';
export { loadNoteParsers, parseNoteYielding } from './parse/index.ts';
export type { NoteParsers } from './parse/index.ts';
export { readNoteFile } from './readFile.ts';
export type { ReadNoteOptions, ReadNoteResult } from './readFile.ts';
export { scanFolder } from './scan.ts';
export { watchFolder } from './watch.ts';
export type { FolderWatcher, WatchOptions } from './watch.ts';
export type {
  FolderChanges,
  NoteChunk,
  NoteSection,
  ParsedNote,
  ScanEntry,
  ScanOptions,
  SkipReason,
  SkippedFile,
} from './types.ts';
