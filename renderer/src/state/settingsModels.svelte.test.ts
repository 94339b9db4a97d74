import { describe, expect, it } from 'vitest';
import type { DriftlessApi, JobInfo } from '../contract.ts';
import { ModelsState, type ModelInfo } from './settingsModels.svelte.ts';

const model = (patch: Partial<ModelInfo> = {}): ModelInfo => ({
  id: 'bge-small-en-v1.5',
  name: 'bge-small-en-v1.5',
  dimensions: 384,
  maxTokens: 512,
  pooling: 'cls',
  licence: 'MIT',
  installed: false,
  usedForSearch: false,
  ...patch,
});

/** A fake core whose download job runs through the given states, one per listJobs call. */
function fakeApi(states: Array<Partial<JobInfo>>) {
  const calls: string[] = [];
  let installed = false;
  let step = 0;
  const job = (): JobInfo => ({
    id: 'job-1',
    kind: 'download',
    state: 'running',
    label: 'Download bge-small-en-v1.5',
    done: 0,
    ...states[Math.min(step++, states.length - 1)],
  });
  const api = {
    listModels: async () => {
      calls.push('listModels');
      return [model(installed ? { installed: true, verified: true, installedRevision: 'abc' } : {})];
    },
    downloadModel: async ({ id }: { id: string }) => (calls.push(`download ${id}`), { jobId: 'job-1' }),
    listJobs: async () => {
      const current = job();
      if (current.state === 'finished') installed = true;
      return [current];
    },
    cancelJob: async () => ({ ...job(), state: 'cancelled' as const }),
    removeModel: async () => ((installed = false), { removed: true }),
  } as unknown as DriftlessApi;
  return { api, calls };
}

describe('ModelsState', () => {
  it('follows a download job through its progress and lists the model installed at the end', async () => {
    const { api, calls } = fakeApi([
      { done: 100, total: 1000, etaSeconds: 9 },
      { done: 600, total: 1000, etaSeconds: 3 },
      { done: 1000, total: 1000, state: 'finished' },
    ]);
    const models = new ModelsState(api, { pollMs: 0 });
    await models.load();
    expect(models.models[0]?.installed).toBe(false);
    await models.download('bge-small-en-v1.5');
    expect(calls).toEqual(['listModels', 'download bge-small-en-v1.5', 'listModels']);
    expect(models.downloads['bge-small-en-v1.5']).toMatchObject({ state: 'finished', done: 1000 });
    expect(models.models[0]).toMatchObject({ installed: true, verified: true });
    expect(models.failure('bge-small-en-v1.5')).toBeUndefined();

    await models.remove('bge-small-en-v1.5');
    expect(models.models[0]?.installed).toBe(false);
    expect(models.downloads['bge-small-en-v1.5']).toBeUndefined();
  });

  it('explains an offline failure by its code and says a retry resumes', async () => {
    const { api } = fakeApi([{ state: 'failed', error: 'fetch failed', errorCode: 'OFFLINE' }]);
    const models = new ModelsState(api, { pollMs: 0 });
    await models.load();
    await models.download('bge-small-en-v1.5');
    expect(models.failure('bge-small-en-v1.5')).toMatch(/^Offline: .*resumes where it stopped/);
    expect(models.models[0]?.installed).toBe(false);
  });

  it('cancels a running download', async () => {
    const { api } = fakeApi([{ done: 10, total: 100 }]);
    const models = new ModelsState(api, { pollMs: 0 });
    models.downloads['bge-small-en-v1.5'] = {
      id: 'job-1',
      kind: 'download',
      state: 'running',
      label: 'x',
      done: 10,
    };
    await models.cancel('bge-small-en-v1.5');
    expect(models.downloads['bge-small-en-v1.5']?.state).toBe('cancelled');
    expect(models.failure('bge-small-en-v1.5')).toContain('Press Download to resume');
  });

  it('shows a load error instead of the list', async () => {
    const api = {
      listModels: async () => {
        throw Object.assign(new Error('no catalogue'), { code: 'CORRUPT' });
      },
    } as unknown as DriftlessApi;
    const models = new ModelsState(api);
    await models.load();
    expect(models.status).toBe('error');
    expect(models.error).toContain('no catalogue');
  });

  it('switches the search model through its job and names the model in use at the end', async () => {
    let used = false;
    const states: Array<Partial<JobInfo>> = [{ done: 1, total: 4, phase: 'embed' }, { state: 'finished' }];
    let step = 0;
    const api = {
      listModels: async () => [model({ installed: true, verified: true, usedForSearch: used })],
      useModel: async () => ({ jobId: 'switch-1' }),
      listJobs: async () => {
        const job = {
          id: 'switch-1',
          kind: 'reindex',
          state: 'running',
          label: 'Switch',
          done: 0,
          ...states[step++],
        };
        if (job.state === 'finished') used = true;
        return [job];
      },
    } as unknown as DriftlessApi;
    const models = new ModelsState(api, { pollMs: 0 });
    await models.load();
    expect(models.searchModelName).toBe('the bundled encoder');
    await models.use('bge-small-en-v1.5');
    expect(models.switching?.state).toBe('finished');
    expect(models.error).toBeUndefined();
    expect(models.searchModelName).toBe('bge-small-en-v1.5');
  });

  it("reports a failed switch with the job's error", async () => {
    const api = {
      listModels: async () => [model({ installed: true })],
      useModel: async () => ({ jobId: 'switch-2' }),
      listJobs: async () => [
        {
          id: 'switch-2',
          kind: 'reindex',
          state: 'failed',
          label: 'Switch',
          done: 0,
          error: 'model is corrupt',
        },
      ],
    } as unknown as DriftlessApi;
    const models = new ModelsState(api, { pollMs: 0 });
    await models.use('bge-small-en-v1.5');
    expect(models.error).toBe('model is corrupt');
    expect(models.searchModelName).toBe('the bundled encoder');
  });
});
