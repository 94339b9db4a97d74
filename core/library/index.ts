export { FolderRegistry, isInside } from './folderRegistry.ts';
export { syncFolder } from './syncFolder.ts';
export type { SyncOptions } from './syncFolder.ts';
export { ImportReports } from './importReports.ts';
export type { ImportReport } from './importReports.ts';
