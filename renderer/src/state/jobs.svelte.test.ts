import { describe, expect, it } from 'vitest';
import type { DriftlessApi, JobInfo } from '../contract.ts';
import { JobsState } from './jobs.svelte.ts';

const job = (id: string, state: JobInfo['state'], finishedMs?: number): JobInfo => ({
  id,
  kind: 'import',
  state,
  label: id,
  done: 0,
  ...(finishedMs ? { finishedMs } : {}),
});

describe('JobsState', () => {
  it('groups jobs and keeps them current from events', () => {
    const jobs = new JobsState({} as DriftlessApi);
    jobs.apply(job('a', 'queued'));
    jobs.apply(job('b', 'running'));
    jobs.apply(job('c', 'finished', 1));
    expect([jobs.active.length, jobs.queued.length, jobs.ended.length, jobs.pending]).toEqual([1, 1, 1, 2]);

    jobs.apply(job('a', 'finished', 2));
    expect(jobs.jobs).toHaveLength(3);
    expect(jobs.ended.map((j) => j.id)).toEqual(['a', 'c']);
    expect(jobs.pending).toBe(1);
  });

  it('knows the newest adaptation job', () => {
    const jobs = new JobsState({} as DriftlessApi);
    expect(jobs.latestAdapt).toBeUndefined();
    jobs.apply({ ...job('a1', 'failed', 1), kind: 'adapt' });
    jobs.apply(job('i1', 'running'));
    jobs.apply({ ...job('a2', 'running'), kind: 'adapt' });
    expect(jobs.latestAdapt?.id).toBe('a2');
  });

  it('applies the answer of a pause', async () => {
    const api = {
      pauseJob: async ({ jobId }: { jobId: string }) => job(jobId, 'paused'),
    } as unknown as DriftlessApi;
    const jobs = new JobsState(api);
    jobs.apply(job('a', 'running'));
    await jobs.pause('a');
    expect(jobs.jobs[0]?.state).toBe('paused');
  });

  it('keeps a cancelled job cancelled when the late answer of the cancel still says paused', async () => {
    let answer!: (job: JobInfo) => void;
    const api = {
      cancelJob: () => new Promise<JobInfo>((resolve) => (answer = resolve)),
    } as unknown as DriftlessApi;
    const jobs = new JobsState(api);
    jobs.apply(job('a', 'paused'));
    const cancelling = jobs.cancel('a');
    jobs.apply(job('a', 'cancelled', 5)); // the event stream was faster than the answer
    answer(job('a', 'paused'));
    await cancelling;
    expect(jobs.jobs[0]?.state).toBe('cancelled');
    expect(jobs.active).toEqual([]);
  });

  it('finds the live import of each folder, the running one before a queued rescan', () => {
    const jobs = new JobsState({} as DriftlessApi);
    const inFolder = (id: string, state: JobInfo['state'], folderId: string): JobInfo => ({
      ...job(id, state, state === 'finished' ? 1 : undefined),
      folderId,
    });
    jobs.apply(inFolder('old', 'finished', 'f1'));
    jobs.apply(inFolder('now', 'running', 'f1'));
    jobs.apply(inFolder('next', 'queued', 'f1'));
    jobs.apply(inFolder('other', 'paused', 'f2'));
    jobs.apply({ ...job('adapt', 'running'), kind: 'adapt' });
    expect(Object.fromEntries(Object.entries(jobs.importsByFolder).map(([f, j]) => [f, j.id]))).toEqual({
      f1: 'now',
      f2: 'other',
    });
  });
});
