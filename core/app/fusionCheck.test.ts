import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { FeatureHashingEncoder, makeTempDir } from '../testing/index.ts';
import { fusionChoiceFile } from './fusionChoice.ts';
import { FUSION_JOB_LABEL, MIN_NOTES_FOR_FUSION } from './fusionRefresh.ts';
import { openApp } from './index.ts';
import type { App } from './index.ts';

/**
 * When the app checks whether the hybrid fusion is due to be chosen: at the end of an import and of
 * the quiet index check every start queues, but never into a closing app, and not from a one-shot
 * command (`driftless search`), which closes right after its call and would only cancel the job.
 */
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let notes: string;
let dataDir: string;
const encoder = new FeatureHashingEncoder({ dimensions: 512 });
const open = (watch: boolean) => openApp({ dataDir, loadEncoder: async () => encoder, watch });

beforeEach(async () => {
  temp = await makeTempDir('driftless-fusion-check-');
  notes = path.join(temp.dir, 'notes');
  dataDir = path.join(temp.dir, 'data');
  await fs.mkdir(notes);
  // Enough notes that the check, unlike with fewer, goes on to queue the job that chooses the fusion.
  for (let i = 0; i < MIN_NOTES_FOR_FUSION + 5; i++)
    await fs.writeFile(path.join(notes, `note-${i}.txt`), `Note ${i} about topic ${i % 7}.`);
});
afterEach(() => temp.remove());

const fusionJobs = async (app: App) =>
  (await app.api.listJobs({})).filter((job) => job.label === FUSION_JOB_LABEL).map((job) => job.state);

it('closes right after an import without logging a failed fusion check', async () => {
  const app = await open(false);
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

it('a one-shot start leaves a due fusion alone; a running app chooses it', async () => {
  const importing = await open(false);
  await importing.api.addFolder({ path: notes });
  await importing.idle();
  expect(await fusionJobs(importing)).toEqual(['finished']);
  await importing.close();
  // Due again: no choice recorded, as when the process choosing it was stopped.
  await fs.rm(fusionChoiceFile(dataDir), { force: true });

  const oneShot = await open(false);
  await oneShot.idle();
  expect(await fusionJobs(oneShot)).toEqual([]);
  await oneShot.close();

  const running = await open(true);
  await running.idle();
  expect(await fusionJobs(running)).toEqual(['finished']);
  await running.close();
});
