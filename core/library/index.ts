export { FolderRegistry, isInside } from './folderRegistry.ts';
export { syncFolder } from './syncFolder.ts';
export type { SyncOptions } from './syncFolder.ts';
export { ImportReports } from './importReports.ts';
export type { ImportReport } from './importReports.ts';
export { expandFolderPath, suggestFolders, MAX_SUGGESTIONS } from './folderPaths.ts';
export type { ExpandedPath } from './folderPaths.ts';
