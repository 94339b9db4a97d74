import { watch, type FSWatcher } from 'node:fs';
import { logAndContinue, logFailure } from '../base/index.ts';
import type { AppParts } from './parts.ts';

const FOLDER_LIST = 'folders.json';

/**
 * Keeps the running app's folder list in step with folders.json when another writer changes it (a
 * `driftless add` or `remove` on the command line while `serve` or the window runs): the list is read
 * again on every change of the file and `folders-changed` goes out when it differs, so the window
 * shows the folder and the app starts watching it. The data folder is watched, not the file: every
 * save replaces the file (atomic rename), which would end a watch on the file itself.
 */
export function followFolderList(parts: Pick<AppParts, 'paths' | 'folders' | 'events'>): {
  close(): void;
} {
  let reading = Promise.resolve();
  const reload = () => {
    reading = reading
      .then(async () => {
        if (await parts.folders.reload()) parts.events.emit({ type: 'folders-changed' });
      })
      // An unreadable list keeps the one held; the next change is read again.
      .catch(logAndContinue('Reading the folder list after a change'));
  };
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(parts.paths.root, { persistent: false }, (_event, name) => {
      if (name === FOLDER_LIST || name === null) reload();
    });
    watcher.on('error', (error) => {
      logFailure('Watching the folder list', error);
      watcher?.close();
    });
  } catch {
    // No file watching here (some network shares): the list is still read again before each change.
    watcher = undefined;
  }
  return { close: () => watcher?.close() };
}
