import fs from 'node:fs/promises';
import path from 'node:path';
import { dataPaths, Emitter } from '../base/index.ts';
import { BundledEncoder, type Encoder } from '../encoder/index.ts';
import { watchFolder } from '../ingest/index.ts';
import { JobQueue } from '../jobs/index.ts';
import { FolderRegistry, ImportReports } from '../library/index.ts';
import type { ApiEvent } from '../service/contract.ts';
import { NoteIndex } from '../store/index.ts';
import { createApi, type AppParts } from './api.ts';
import { systemOpener } from './noteAccess.ts';
import { SettingsStore } from './settings.ts';
import type { App, AppOptions } from './types.ts';

export type { App, AppOptions } from './types.ts';
export { DEFAULT_SETTINGS } from './settings.ts';

/**
 * Opens a data folder and wires every part of core/ into one API. The encoder loads on first use,
 * so status, folder lists and full-text search answer at once even on the very first start.
 */
export async function openApp(options: AppOptions): Promise<App> {
  const paths = dataPaths(options.dataDir);
  await fs.mkdir(paths.root, { recursive: true });
  const encoder = lazy(
    options.loadEncoder ?? (() => BundledEncoder.load({ cacheDir: path.join(paths.models, 'use-lite') })),
  );
  const parts: AppParts = {
    paths,
    events: new Emitter<ApiEvent>(),
    jobs: new JobQueue(),
    folders: await FolderRegistry.open(paths.root),
    reports: new ImportReports(path.join(paths.root, 'reports')),
    settings: await SettingsStore.open(paths.root),
    index: await NoteIndex.open(paths.index, { dimensions: 512 }),
    encoder,
    opener: options.opener ?? systemOpener,
  };
  parts.jobs.events.on((job) => parts.events.emit({ type: 'job', job }));
  const api = createApi(parts);
  const watchers = options.watch ? await watchAll(parts, api.syncFolders) : [];

  return {
    api,
    events: parts.events,
    dataDir: paths.root,
    idle: () => parts.jobs.idle(),
    close: async () => {
      await Promise.all(watchers.map((watcher) => watcher.close()));
      await parts.jobs.close();
      if (encoder.loaded) await (await encoder()).close();
      await parts.index.close();
    },
  };
}

/** Keeps every added folder in sync while the app runs. */
async function watchAll(parts: AppParts, sync: App['api']['syncFolders']) {
  return parts.folders.list().map((folder) =>
    watchFolder(folder.root, { ignore: parts.settings.value.ignore, debounceMs: 500 }, () => {
      void sync({ folderId: folder.id }).catch(() => undefined);
    }),
  );
}

/** A memoised async factory that can tell whether it has run. */
function lazy(factory: () => Promise<Encoder>): (() => Promise<Encoder>) & { loaded: boolean } {
  let promise: Promise<Encoder> | undefined;
  const get = Object.assign(
    () => {
      promise ??= factory();
      get.loaded = true;
      return promise;
    },
    { loaded: false },
  );
  return get;
}
