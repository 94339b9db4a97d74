import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { FeatureHashingEncoder, makeTempDir } from '../testing/index.ts';
import { fusionChoiceFile } from './fusionChoice.ts';
import { FUSION_JOB_LABEL, MIN_NOTES_FOR_FUSION } from './fusionRefresh.ts';
import { openApp } from './index.ts';
import type { App } from './index.ts';

/**
 * Every start queues a quiet index check. In a running app (watch) its end checks whether the
 * hybrid fusion is due to be chosen; a one-shot command (`driftless search`) closes right after its
 * call, which would only cancel the job that check queues, so it queues none.
 */
let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => (temp = await makeTempDir('driftless-fusion-start-')));
afterEach(() => temp.remove());

const fusionJobs = async (app: App) =>
  (await app.api.listJobs({})).filter((job) => job.label === FUSION_JOB_LABEL).map((job) => job.state);

it('a one-shot start leaves a due fusion alone; a running app chooses it', async () => {
  const notes = path.join(temp.dir, 'notes');
  await fs.mkdir(notes);
  for (let i = 0; i < MIN_NOTES_FOR_FUSION + 5; i++)
    await fs.writeFile(path.join(notes, `note-${i}.txt`), `Note ${i} about topic ${i % 7}.`);
  const dataDir = path.join(temp.dir, 'data');
  const encoder = new FeatureHashingEncoder({ dimensions: 512 });
  const open = (watch: boolean) => openApp({ dataDir, loadEncoder: async () => encoder, watch });

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
