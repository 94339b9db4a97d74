import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Emitter } from '../base/index.ts';
import { FolderRegistry } from '../library/index.ts';
import type { ApiEvent } from '../service/contract.ts';
import { watchFolders } from './folderWatchers.ts';
import { openApp, type App } from './index.ts';
import { SettingsStore } from './settings.ts';

let root: string;
let app: App;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-watch-'));
  await fs.mkdir(path.join(root, 'data'));
});
afterEach(async () => {
  await app?.close();
  await fs.rm(root, { recursive: true, force: true });
});

/**
 * Resolves once `condition` holds after a sync of `folderId` (its `index-changed` event): the
 * watcher may sync more than once (the folder's first scan, the new file), so each one is checked.
 */
function afterSyncWhere(folderId: string, condition: () => Promise<boolean>): Promise<void> {
  return new Promise((resolve, reject) => {
    const stop = app.events.on((event) => {
      if (event.type !== 'index-changed' || event.folderId !== folderId) return;
      condition().then((holds) => holds && (stop(), resolve()), reject);
    });
  });
}

describe('the running app', () => {
  it('watches a folder added after it started, and forgets its notes once removed', async () => {
    app = await openApp({ dataDir: path.join(root, 'data'), watch: true });
    const notes = path.join(root, 'notes');
    await fs.mkdir(notes);
    await fs.writeFile(path.join(notes, 'first.md'), '# First\n\nThe heron waits in the shallows.');
    const { id: folderId } = await app.api.addFolder({ path: notes });
    await app.idle();
    await app.watching!();
    const found = async () => (await app.api.search({ query: 'kingfisher', mode: 'text' })).hits.length > 0;
    const indexed = afterSyncWhere(folderId, found);
    await fs.writeFile(path.join(notes, 'second.md'), '# Second\n\nA kingfisher dives for minnows.');
    await indexed;
    expect((await app.api.status({})).notes).toBe(2);

    await app.api.removeFolder({ folderId });
    await app.idle();
    expect((await app.api.status({})).notes).toBe(0);
    expect(await found()).toBe(false);
  });
});

describe('watchFolders', () => {
  it('stops watching a folder once it is removed', async () => {
    const dataDir = path.join(root, 'data');
    const [gone, kept] = [path.join(root, 'gone'), path.join(root, 'kept')];
    await Promise.all([fs.mkdir(gone), fs.mkdir(kept)]);
    const folders = await FolderRegistry.open(dataDir);
    const [goneId, keptId] = [(await folders.add(gone)).id, (await folders.add(kept)).id];
    const events = new Emitter<ApiEvent>();
    const synced = new SyncLog();
    const watchers = watchFolders(
      { folders, events, settings: await SettingsStore.open(dataDir) },
      synced.record,
    );
    try {
      await watchers.ready();
      // Shows the watcher of `gone` works, so its silence below means it was stopped.
      await fs.writeFile(path.join(gone, 'first.md'), '# First');
      await synced.next(goneId);

      await folders.remove(goneId);
      events.emit({ type: 'folders-changed' });
      await fs.writeFile(path.join(gone, 'second.md'), '# Second');
      await fs.writeFile(path.join(kept, 'marker.md'), '# Marker');
      // Same debounce, later write: once `kept` syncs, a live watcher of `gone` would have synced too.
      await synced.next(keptId);
      expect(synced.calls).toEqual([goneId, keptId]);
    } finally {
      await watchers.close();
    }
  });
});

describe('watchFolders and the ignore setting', () => {
  it('watches again with new ignore rules, whoever saved them', async () => {
    const dataDir = path.join(root, 'data');
    const notes = path.join(root, 'notes');
    await fs.mkdir(path.join(notes, 'drafts'), { recursive: true });
    const folders = await FolderRegistry.open(dataDir);
    const folderId = (await folders.add(notes)).id;
    const running = await SettingsStore.open(dataDir);
    await running.update({ ignore: ['drafts/**'] });
    const events = new Emitter<ApiEvent>();
    const synced = new SyncLog();
    const watchers = watchFolders({ folders, events, settings: running }, synced.record);
    try {
      await watchers.ready();
      // Another process (`driftless settings set ignore '[]'`) drops the rule; the app reads it.
      await (await SettingsStore.open(dataDir)).update({ ignore: [] });
      await running.current();
      events.emit({ type: 'settings-changed' });
      await watchers.ready();
      // Ignored by the rules the watcher started with: only a new watcher sees this write.
      const draft = synced.next(folderId);
      await fs.writeFile(path.join(notes, 'drafts', 'plan.md'), '# Plan');
      await draft;
      expect(synced.calls).toEqual([folderId]);
    } finally {
      await watchers.close();
    }
  });
});

/** The folder ids `watchFolders` asked to sync, in order, and a wait for the next one of a folder. */
class SyncLog {
  readonly calls: string[] = [];
  #waiters: Array<{ folderId: string; wake: () => void }> = [];

  record = async (folderId: string): Promise<void> => {
    this.calls.push(folderId);
    const ready = this.#waiters.filter((waiter) => waiter.folderId === folderId);
    this.#waiters = this.#waiters.filter((waiter) => waiter.folderId !== folderId);
    for (const waiter of ready) waiter.wake();
  };

  next(folderId: string): Promise<void> {
    return new Promise((wake) => this.#waiters.push({ folderId, wake }));
  }
}
