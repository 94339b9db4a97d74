export { FolderRegistry, isInside } from './folderRegistry.ts';
export { syncFolder } from './syncFolder.ts';
export type { SyncDeps, SyncOptions } from './syncFolder.ts';
export { importNoteParser, OFF_THREAD_PARSE_FROM_CHARS, parsesOffThread } from './importParsing.ts';
export type { NoteParser } from './importParsing.ts';
export { ImportReports } from './importReports.ts';
export type { ImportReport } from './importReports.ts';
export { expandFolderPath, suggestFolders, MAX_SUGGESTIONS } from './folderPaths.ts';
export type { ExpandedPath } from './folderPaths.ts';
