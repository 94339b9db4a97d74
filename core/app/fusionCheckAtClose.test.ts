import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { FeatureHashingEncoder, makeTempDir } from '../testing/index.ts';
import { MIN_NOTES_FOR_FUSION } from './fusionRefresh.ts';
import { openApp } from './index.ts';

/**
 * `driftless add` interrupted by Ctrl-C closes the app right after its import: the fusion check that
 * the import started must neither queue a job into the closing queue nor fail and log that it could not.
 */
let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => (temp = await makeTempDir('driftless-fusion-close-')));
afterEach(() => temp.remove());

it('closes right after an import without logging a failed fusion check', async () => {
  const notes = path.join(temp.dir, 'notes');
  await fs.mkdir(notes);
  // Enough notes that the check, unlike with fewer, goes on to queue the job that chooses the fusion.
  for (let i = 0; i < MIN_NOTES_FOR_FUSION + 5; i++)
    await fs.writeFile(path.join(notes, `note-${i}.txt`), `Note ${i} about topic ${i % 7}.`);
  const dataDir = path.join(temp.dir, 'data');
  const encoder = new FeatureHashingEncoder({ dimensions: 512 });
  const app = await openApp({ dataDir, loadEncoder: async () => encoder, watch: false });
  const imported = new Promise<void>((resolve) =>
    app.events.on((event) => {
      if (event.type === 'job' && event.job.label.startsWith('Import') && event.job.state === 'finished')
        resolve();
    }),
  );
  await app.api.addFolder({ path: notes });
  await imported;
  // The job's end has started the fusion check; the user interrupts before it has read the index.
  await app.close();
  // idle() waits for the check as well: nothing of it may be left to fail after close.
  await app.idle();
  const log = await fs.readFile(path.join(dataDir, 'driftless.log'), 'utf8').catch(() => '');
  expect(log).toBe('');
  expect((await fs.readdir(dataDir)).filter((name) => name.startsWith('fusion'))).toEqual([]);
});
