import { watchDataFile } from './dataFileWatch.ts';
import type { AppParts } from './parts.ts';

/**
 * Keeps the running app's folder list in step with folders.json when another writer changes it (a
 * `driftless add` or `remove` on the command line while `serve` or the window runs): the list is read
 * again on every change of the file and `folders-changed` goes out when it differs, so the window
 * shows the folder and the app starts watching it. An unreadable list keeps the one held.
 */
export function followFolderList(parts: Pick<AppParts, 'paths' | 'folders' | 'events'>): {
  close(): void;
} {
  return watchDataFile(parts.paths.root, 'folders.json', 'the folder list', async () => {
    if (await parts.folders.reload()) parts.events.emit({ type: 'folders-changed' });
  });
}
