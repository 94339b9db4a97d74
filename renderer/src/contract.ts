/**
 * The renderer's one door into core/: the API contract's types and its runtime-neutral client.
 * Every other renderer module imports from here, so the boundary is visible in a single file.
 */
export type {
  ApiEvent,
  DriftlessApi,
  DriftlessBridge,
  Envelope,
  FeedbackKind,
  FolderInfo,
  FolderSuggestions,
  ImportReport,
  IndexDamage,
  JobInfo,
  NoteContent,
  NoteMark,
  QueryChip,
  SearchHit,
  Settings,
  StatusInfo,
  VersionInfo,
} from '../../core/service/contract.ts';
export { createApiClient, createHttpCall } from '../../core/service/client.ts';
// Names and titles are shown through this, so a right-to-left override cannot disguise a file.
export { showHiddenCharacters } from '../../core/service/contract.ts';
// The window's keys follow the settings' shortcut, and its default until the settings have loaded.
export { DEFAULT_SETTINGS } from '../../core/service/contract.ts';
// The settings form checks the training budget against the bounds the core enforces.
export { TRAINING_MINUTES } from '../../core/service/contract.ts';
