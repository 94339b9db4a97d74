import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linearAppOptions } from '../adapt/testing/index.ts';
import { makeTempDir } from '../testing/index.ts';
import { writeTopicFolder } from '../testing/faults/topicFolder.ts';
import { openApp } from './index.ts';
import { JobJournal } from './jobJournal.ts';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let dataDir: string;
let journal: JobJournal;

const open = (resumeJobs: boolean) => openApp({ dataDir, ...linearAppOptions(), resumeJobs });

beforeAll(async () => {
  temp = await makeTempDir('driftless-interrupted-');
  dataDir = path.join(temp.dir, 'data');
  journal = new JobJournal(path.join(dataDir, 'jobs'));
  await writeTopicFolder(path.join(temp.dir, 'notes'), 36);
  const app = await open(false);
  await app.api.addFolder({ path: path.join(temp.dir, 'notes') });
  await app.idle();
  await app.close();
}, 60_000);
afterAll(() => temp.remove());

describe('jobs a crash cut off', () => {
  const crashedAdaptation = {
    kind: 'adapt',
    label: 'Adapt the encoder from v0',
    from: 'v0',
    startedMs: 1,
  } as const;

  it('are listed as failed with the reason when not resumed, and stay for the next start', async () => {
    await journal.begin(crashedAdaptation);
    const app = await open(false);
    await app.idle();
    const failed = (await app.api.listJobs({})).filter((job) => job.state === 'failed');
    expect(failed).toEqual([
      expect.objectContaining({
        kind: 'adapt',
        label: crashedAdaptation.label,
        error: expect.stringMatching(/^Interrupted/),
      }),
    ]);
    expect((await app.api.listVersions({})).map((v) => v.version)).toEqual(['v0']);
    await app.close();
    expect(await journal.interrupted()).toEqual([crashedAdaptation]);
  });

  it('run again when resumed, and the settled job clears its entry', async () => {
    const app = await open(true);
    await app.idle();
    const jobs = await app.api.listJobs({});
    expect(jobs.filter((job) => job.kind === 'adapt')).toEqual([
      expect.objectContaining({ state: 'finished', label: expect.stringContaining('resumed') }),
    ]);
    expect((await app.api.listVersions({})).map((v) => [v.version, v.current])).toEqual([
      ['v0', false],
      ['v1', true],
    ]);
    await app.close();
    expect(await journal.interrupted()).toEqual([]);
  });

  it('count as done when the adaptation had published its version, re-embedding only its anchors', async () => {
    // v1 published, its rows as if the process stopped before keeping its anchors: every row v0's.
    const before = await open(false);
    await before.api.rollback({ version: 'v0' });
    await before.startReindex!().result;
    await before.api.rollback({ version: 'v1' });
    await before.close();
    await journal.begin(crashedAdaptation);
    await fs.mkdir(path.join(dataDir, 'jobs', 'adapt-from-v0'), { recursive: true });
    const app = await open(true);
    await app.idle();
    const jobs = await app.api.listJobs({});
    // The startup index check found nothing to repair, so it is not listed (issue 15).
    expect(jobs.map((job) => [job.kind, job.label, job.state])).toEqual([
      ['backfill', 'Re-embed the anchor notes of v1', 'finished'],
    ]);
    // 36 notes are within the anchor budget: all of them were anchors.
    expect((await app.api.status({})).rowsByVersion).toEqual({ v1: expect.any(Number) });
    expect((await app.api.listVersions({})).map((v) => v.version)).toEqual(['v0', 'v1']);
    await app.close();
    expect(await journal.interrupted()).toEqual([]);
    await expect(fs.stat(path.join(dataDir, 'jobs', 'adapt-from-v0'))).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });

  it('resume a reindex', async () => {
    const before = await open(false);
    await before.api.rollback({ version: 'v0' });
    await before.close();
    await journal.begin({ kind: 'reindex', label: 'Re-embed every note with v0', from: 'v0', startedMs: 1 });
    const app = await open(true);
    await app.idle();
    const jobs = await app.api.listJobs({});
    expect(jobs.map((job) => [job.kind, job.state])).toEqual([['reindex', 'finished']]);
    expect((await app.api.status({})).rowsByVersion).toEqual({ v0: expect.any(Number) });
    await app.close();
    expect(await journal.interrupted()).toEqual([]);
  });
});
