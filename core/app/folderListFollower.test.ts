import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dataPaths } from '../base/index.ts';
import { acquireWriterLock } from '../jobs/index.ts';
import type { ApiEvent } from '../service/contract.ts';
import { openApp, type App } from './index.ts';

let root: string;
const opened: App[] = [];

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-follow-'));
  await fs.mkdir(path.join(root, 'data'));
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

  it('imports a folder the command line adds while another process writes, once that one finishes', async () => {
    const serving = await open(true);
    await serving.idle();
    const notes = path.join(root, 'notes');
    await fs.mkdir(notes);
    await fs.writeFile(path.join(notes, 'heron.md'), '# Heron\n\nThe heron waits in the shallows.');
    // Another writer holds the data folder's lock (the serving app importing, say).
    const writing = await acquireWriterLock(dataPaths(path.join(root, 'data')).lock, 'an import');

    const cli = await open(false);
    const waiting = nextEvent(cli, (event) => event.type === 'job' && event.job.phase === 'waiting');
    const listChanged = nextEvent(serving, (event) => event.type === 'folders-changed');
    const added = await cli.api.addFolder({ path: notes });
    const { job } = (await waiting) as Extract<ApiEvent, { type: 'job' }>;
    expect(job.label).toBe(`Import ${added.root}`);
    await listChanged;
    await writing.release();
    await cli.idle();
    expect((await cli.api.listJobs({})).find((entry) => entry.id === job.id)?.state).toBe('finished');
    expect((await serving.api.listFolders({}))[0]).toMatchObject({ id: added.id, notes: 1 });
  });
});
