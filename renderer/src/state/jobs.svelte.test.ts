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
});
