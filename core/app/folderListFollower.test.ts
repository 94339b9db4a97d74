import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../service/contract.ts';
import { openApp, type App } from './index.ts';

let root: string;
const opened: App[] = [];

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-follow-'));
  await fs.mkdir(path.join(root, 'data'));
  await fs.writeFile(
    path.join(root, 'data', 'settings.json'),
    JSON.stringify({ adaptation: { enabled: false } }),
  );
});
afterEach(async () => {
  for (const app of opened.splice(0)) await app.close();
  await fs.rm(root, { recursive: true, force: true });
});

async function open(watch: boolean): Promise<App> {
  const app = await openApp({ dataDir: path.join(root, 'data'), watch });
  opened.push(app);
  return app;
}

function nextEvent(app: App, matches: (event: ApiEvent) => boolean): Promise<ApiEvent> {
  return new Promise((resolve) => {
    const stop = app.events.on((event) => {
      if (!matches(event)) return;
      stop();
      resolve(event);
    });
  });
}

describe('a running app and a folder added by the command line', () => {
  it('shows the folder, and watches it, without a restart', async () => {
    const serving = await open(true);
    await serving.idle();
    const notes = path.join(root, 'notes');
    await fs.mkdir(notes);
    await fs.writeFile(path.join(notes, 'heron.md'), '# Heron\n\nThe heron waits in the shallows.');

    const listChanged = nextEvent(serving, (event) => event.type === 'folders-changed');
    const cli = await open(false);
    const added = await cli.api.addFolder({ path: notes });
    await cli.idle();
    await listChanged;
    expect((await serving.api.listFolders({})).map((folder) => folder.id)).toEqual([added.id]);
    expect((await serving.api.status({})).folders).toBe(1);

    // The serving app now watches the folder: a note written there is indexed by it.
    await serving.watching?.();
    const synced = nextEvent(
      serving,
      (event) => event.type === 'index-changed' && event.folderId === added.id,
    );
    await fs.writeFile(path.join(notes, 'kingfisher.md'), '# Kingfisher\n\nA kingfisher dives for minnows.');
    await synced;
    expect((await serving.api.listFolders({}))[0]).toMatchObject({ id: added.id, notes: 2 });
  });
});
