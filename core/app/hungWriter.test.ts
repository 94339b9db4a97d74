import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dataPaths } from '../base/index.ts';
import { processStartMs } from '../jobs/writerLock.ts';
import { startLockHolder, type LockHolder } from '../testing/faults/lockHolders.ts';
import { openApp, type App } from './index.ts';

/**
 * A process that holds the data folder's writer lock but hangs (alive, its event loop blocked, so
 * its heartbeat stopped): the app's write jobs give up with a LOCKED error that says so, instead of
 * waiting forever, and write again once that process is ended.
 */
let root: string;
let app: App | undefined;
let holder: LockHolder | undefined;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-hung-writer-'));
  await fs.mkdir(path.join(root, 'data'));
});
afterEach(async () => {
  await app?.close();
  await holder?.kill();
  await fs.rm(root, { recursive: true, force: true });
});

describe('a hung writer', () => {
  it.runIf(processStartMs(process.pid) !== undefined)(
    'fails an import with LOCKED saying the holder stopped responding, and imports once it is ended',
    async () => {
      const notes = path.join(root, 'notes');
      await fs.mkdir(notes);
      await fs.writeFile(path.join(notes, 'heron.md'), '# Heron\n\nThe heron waits in the shallows.');
      holder = await startLockHolder(dataPaths(path.join(root, 'data')).lock, 20, 'hang');

      app = await openApp({ dataDir: path.join(root, 'data'), watch: false });
      const added = await app.api.addFolder({ path: notes });
      await app.idle();
      const [job] = (await app.api.listJobs({})).filter((entry) => entry.label === `Import ${added.root}`);
      expect(job).toMatchObject({ state: 'failed', errorCode: 'LOCKED' });
      expect(job!.error).toMatch(new RegExp(`pid ${holder.pid}\\b.*stopped responding`));

      await holder.kill();
      await app.api.syncFolders({ folderId: added.id });
      await app.idle();
      expect((await app.api.listFolders({}))[0]).toMatchObject({ id: added.id, notes: 1 });
    },
  );
});
