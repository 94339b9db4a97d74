import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApp, type App } from './index.ts';

let root: string;
let app: App;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-watch-'));
  await fs.mkdir(path.join(root, 'data'));
  // No adaptation runs in the background of this test.
  await fs.writeFile(
    path.join(root, 'data', 'settings.json'),
    JSON.stringify({ adaptation: { enabled: false } }),
  );
});
afterEach(async () => {
  await app?.close();
  await fs.rm(root, { recursive: true, force: true });
});

/** Waits until `condition` holds, checking after each job the app reports; fails after `limitMs`. */
async function eventually(condition: () => Promise<boolean>, limitMs = 30_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('the condition did not hold in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
    await app.idle();
  }
}

describe('the running app', () => {
  it('watches a folder added after it started, and stops watching it once removed', async () => {
    app = await openApp({ dataDir: path.join(root, 'data'), watch: true });
    const notes = path.join(root, 'notes');
    await fs.mkdir(notes);
    await fs.writeFile(path.join(notes, 'first.md'), '# First\n\nThe heron waits in the shallows.');
    const { id: folderId } = await app.api.addFolder({ path: notes });
    await app.idle();
    await fs.writeFile(path.join(notes, 'second.md'), '# Second\n\nA kingfisher dives for minnows.');
    const found = async () => (await app.api.search({ query: 'kingfisher', mode: 'text' })).hits.length > 0;
    await eventually(found);
    expect((await app.api.status({})).notes).toBe(2);

    await app.api.removeFolder({ folderId });
    // A folder that stays watched: once a note written there after third.md is found, a watcher
    // of the removed folder (same debounce) would have synced third.md already.
    const kept = path.join(root, 'kept');
    await fs.mkdir(kept);
    await app.api.addFolder({ path: kept });
    await app.idle();
    await fs.writeFile(path.join(notes, 'third.md'), '# Third\n\nOtters slide down the bank.');
    await fs.writeFile(path.join(kept, 'marker.md'), '# Marker\n\nA dipper walks under the stream.');
    await eventually(async () => (await app.api.search({ query: 'dipper', mode: 'text' })).hits.length > 0);
    await app.idle();
    expect((await app.api.status({})).notes).toBe(1);
    expect((await app.api.search({ query: 'otters', mode: 'text' })).hits).toEqual([]);
  });
});
