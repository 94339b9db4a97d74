import { watchDataFile } from './dataFileWatch.ts';
import type { AppParts } from './parts.ts';

/**
 * Tells the window whenever the settings the app holds change (`settings-changed`), and, in a
 * running app (`watch`), reads settings.json again on every change of the file: a `driftless
 * settings set` or another window's save shows at once, and what the app derives from the settings
 * (the adaptation schedule, the backfill, the next job's budget and limits) uses the new values.
 */
export function followSettings(
  parts: Pick<AppParts, 'paths' | 'settings' | 'events'>,
  { watch }: { watch: boolean },
): { close(): void } {
  const stopTelling = parts.settings.changes.on(() => parts.events.emit({ type: 'settings-changed' }));
  const watcher = watch
    ? watchDataFile(parts.paths.root, 'settings.json', 'the settings', async () => {
        await parts.settings.reload();
      })
    : undefined;
  return { close: () => (stopTelling(), watcher?.close()) };
}
