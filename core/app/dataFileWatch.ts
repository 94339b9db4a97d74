import { watch, type FSWatcher } from 'node:fs';
import { logAndContinue, logFailure } from '../base/index.ts';

/**
 * Calls `reload` after each change of the file `name` in the data folder `root`, one call at a
 * time, logging a failed one (`what` names the file in the log); the next change reads again. The
 * folder is watched, not the file: every save replaces the file (atomic rename), which would end a
 * watch on the file itself.
 */
export function watchDataFile(
  root: string,
  name: string,
  what: string,
  reload: () => Promise<void>,
): { close(): void } {
  let reading = Promise.resolve();
  const onChange = () => {
    reading = reading.then(reload).catch(logAndContinue(`Reading ${what} after a change`));
  };
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(root, { persistent: false }, (_event, changed) => {
      if (changed === name || changed === null) onChange();
    });
    watcher.on('error', (error) => {
      logFailure(`Watching ${what}`, error);
      watcher?.close();
    });
  } catch {
    // No file watching here (some network shares): the file is still read again before each change.
    watcher = undefined;
  }
  return { close: () => watcher?.close() };
}
