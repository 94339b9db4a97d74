import { logAndContinue, logFailure, type Emitter } from '../base/index.ts';
import { watchFolder, type FolderWatcher } from '../ingest/index.ts';
import type { FolderRegistry } from '../library/index.ts';
import type { ApiEvent } from '../service/contract.ts';
import type { SettingsStore } from './settings.ts';

/** What watching reads of the app: the folders, the ignore rules, and the events that say they changed. */
export interface WatchedParts {
  folders: Pick<FolderRegistry, 'list'>;
  events: Emitter<ApiEvent>;
  settings: Pick<SettingsStore, 'value'>;
}

export interface FolderWatchers {
  /** Resolves once every folder watched now has done its first walk. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Keeps every added folder in sync while the app runs: folders added later are watched from the
 * moment they are added, removed ones stop being watched.
 */
export function watchFolders(
  parts: WatchedParts,
  sync: (folderId: string) => Promise<unknown>,
): FolderWatchers {
  const watchers = new Map<string, FolderWatcher>();
  const refresh = () => {
    const folders = new Map(parts.folders.list().map((folder) => [folder.id, folder]));
    for (const [id, watcher] of watchers) {
      if (folders.has(id)) continue;
      watchers.delete(id);
      void watcher.close();
    }
    for (const [id, folder] of folders) {
      if (watchers.has(id)) continue;
      // Queueing the sync fails only for a folder removed meanwhile; the import job reports its own.
      const onChange = () => void sync(id).catch(logAndContinue(`Syncing ${folder.root} after a change`));
      // A folder that can no longer be watched is still synced by hand and at the next start.
      const onError = (error: unknown) => logFailure(`Watching ${folder.root}`, error);
      const options = { ignore: parts.settings.value.ignore, debounceMs: 500, onError };
      watchers.set(id, watchFolder(folder.root, options, onChange));
    }
  };
  refresh();
  let ignore = JSON.stringify(parts.settings.value.ignore);
  // New ignore rules, saved here or by `driftless settings set`: every folder is watched again with them.
  const followIgnore = () => {
    if (JSON.stringify(parts.settings.value.ignore) === ignore) return;
    ignore = JSON.stringify(parts.settings.value.ignore);
    for (const watcher of watchers.values()) void watcher.close();
    watchers.clear();
    refresh();
  };
  const stop = parts.events.on((event) => {
    if (event.type === 'folders-changed') refresh();
    if (event.type === 'settings-changed') followIgnore();
  });
  return {
    ready: async () => {
      await Promise.all([...watchers.values()].map((watcher) => watcher.ready));
    },
    close: async () => {
      stop();
      await Promise.all([...watchers.values()].map((watcher) => watcher.close()));
    },
  };
}
