export { NoteIndex } from './noteIndex.ts';
export { chunkRowId, noteKey } from './noteKey.ts';
export type {
  ChunkFilters,
  ChunkRecord,
  DenseSearchOptions,
  FolderRecord,
  IndexStats,
  NoteFormat,
  NoteIndexOptions,
  NoteKey,
  NoteState,
  NoteWrite,
  ScoredChunk,
  StoredChunk,
  TextSearchOptions,
} from './types.ts';
export { FeedbackStore, FEEDBACK_TABLE } from './feedbackStore.ts';
export type { FeedbackRecord } from './feedbackStore.ts';
export { FeedbackLog } from './feedbackLog.ts';
export type { FeedbackEvent, FeedbackInput, FeedbackKind } from './feedbackLog.ts';
