import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../base/index.ts';
import { loadCatalogue, type ModelEntry } from '../models/index.ts';
import {
  buildTinyBert,
  hubFiles,
  startModelServer,
  unreachableBaseUrl,
  writeTinyBert,
  type ModelServer,
} from '../models/testing/index.ts';
import type { JobInfo } from '../service/contract.ts';
import { openApp, type App } from './index.ts';

/**
 * The model methods of the API against a local hub serving a tiny real BERT model at the URLs of
 * catalogue entries whose hashes are not pinned (so the first download's hashes are recorded).
 */
const model = buildTinyBert();
const modelBytes = model.files.reduce((sum, file) => sum + file.bytes.length, 0);
let root: string;
let server: ModelServer;
let entries: ModelEntry[];
let app: App;

function entryOf(id: string): ModelEntry {
  const entry = entries.find((e) => e.id === id);
  if (!entry) throw new Error(`no catalogue entry ${id}`);
  return entry;
}

async function openAt(modelBaseUrl: string): Promise<App> {
  return openApp({ dataDir: path.join(root, 'data'), modelBaseUrl });
}

/** Waits for the app's jobs to end and answers this one's last state. */
async function settle(target: App, jobId: string): Promise<JobInfo> {
  await target.idle();
  const job = (await target.api.listJobs({})).find((j) => j.id === jobId);
  if (!job) throw new Error(`job ${jobId} is not listed`);
  return job;
}

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-models-api-'));
  entries = (await loadCatalogue()).models;
  const served = new Map<string, Uint8Array>();
  for (const id of ['all-minilm-l6-v2', 'bge-small-en-v1.5'])
    for (const [urlPath, bytes] of hubFiles(entryOf(id), model)) served.set(urlPath, bytes);
  server = await startModelServer(served);
  app = await openAt(server.baseUrl);
}, 60_000);

afterAll(async () => {
  await app?.close();
  await server?.close();
  await fs.rm(root, { recursive: true, force: true });
});

describe('model API', () => {
  it('lists the catalogue with nothing installed at first', async () => {
    const models = await app.api.listModels({});
    expect(models.map((m) => m.id)).toEqual(entries.map((e) => e.id));
    expect(models.find((m) => m.id === 'all-minilm-l6-v2')).toMatchObject({
      dimensions: 384,
      pooling: 'mean',
      licence: 'Apache-2.0',
      installed: false,
    });
    expect(models.every((m) => m.installedRevision === undefined && m.verified === undefined)).toBe(true);
  });

  it('downloads in a background job with byte progress, then lists the model installed and verified', async () => {
    const seen: JobInfo[] = [];
    const unsubscribe = app.events.on((event) => {
      if (event.type === 'job') seen.push(event.job);
    });
    const { jobId } = await app.api.downloadModel({ id: 'all-minilm-l6-v2' });
    const job = await settle(app, jobId);
    unsubscribe();
    expect(job).toMatchObject({ kind: 'download', state: 'finished', done: modelBytes, total: modelBytes });
    const progress = seen.filter((j) => j.id === jobId && j.state === 'running' && j.done > 0);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.map((j) => j.done)).toEqual([...progress.map((j) => j.done)].sort((a, b) => a - b));

    const listed = (await app.api.listModels({})).find((m) => m.id === 'all-minilm-l6-v2');
    expect(listed).toMatchObject({
      installed: true,
      verified: true,
      installedRevision: entryOf('all-minilm-l6-v2').revision,
      sizeBytes: modelBytes,
    });
    const onDisk = await fs.readFile(
      path.join(root, 'data', 'models', 'all-minilm-l6-v2', 'onnx', 'model.onnx'),
    );
    expect(sha256(onDisk)).toBe(sha256(model.files[0]?.bytes as Uint8Array));
  });

  it('cancels a download, and downloading again resumes from the partial file', async () => {
    const entry = entryOf('bge-small-en-v1.5');
    const onnxPath = `/${entry.repo}/resolve/${entry.revision}/onnx/model.onnx`;
    server.faults.set(onnxPath, { kind: 'stall', afterBytes: 1000 });
    const stalled = new Promise<void>((resolve) => {
      const off = app.events.on((event) => {
        if (event.type === 'job' && event.job.kind === 'download' && event.job.done >= 1000) resolve(off());
      });
    });
    const first = await app.api.downloadModel({ id: entry.id });
    await stalled;
    await app.api.cancelJob({ jobId: first.jobId });
    expect(await settle(app, first.jobId)).toMatchObject({ state: 'cancelled' });
    expect((await app.api.listModels({})).find((m) => m.id === entry.id)?.installed).toBe(false);

    const second = await app.api.downloadModel({ id: entry.id });
    expect(await settle(app, second.jobId)).toMatchObject({ state: 'finished' });
    expect(server.requests.filter((r) => r.path === onnxPath).at(-1)?.range).toBe('bytes=1000-');
    expect(await app.api.removeModel({ id: entry.id })).toEqual({ removed: true });
  });

  it('pauses a download, which stops the transfer, and resumes it from the partial file', async () => {
    const entry = entryOf('bge-small-en-v1.5');
    const onnxPath = `/${entry.repo}/resolve/${entry.revision}/onnx/model.onnx`;
    server.faults.set(onnxPath, { kind: 'stall', afterBytes: 700 });
    const stalled = new Promise<void>((resolve) => {
      const off = app.events.on((event) => {
        if (event.type === 'job' && event.job.kind === 'download' && event.job.done >= 700) resolve(off());
      });
    });
    const { jobId } = await app.api.downloadModel({ id: entry.id });
    await stalled;
    expect(await app.api.pauseJob({ jobId })).toMatchObject({ state: 'paused' });
    await app.api.resumeJob({ jobId });
    expect(await settle(app, jobId)).toMatchObject({ state: 'finished', done: modelBytes });
    expect(server.requests.filter((r) => r.path === onnxPath).at(-1)?.range).toBe('bytes=700-');
    expect(await app.api.removeModel({ id: entry.id })).toEqual({ removed: true });
  });

  it('removes a model, and answers NOT_FOUND for ids outside the catalogue', async () => {
    expect(await app.api.removeModel({ id: 'all-minilm-l6-v2' })).toEqual({ removed: true });
    expect((await app.api.listModels({})).find((m) => m.id === 'all-minilm-l6-v2')?.installed).toBe(false);
    expect(await app.api.removeModel({ id: 'all-minilm-l6-v2' })).toEqual({ removed: false });
    for (const call of [
      () => app.api.downloadModel({ id: 'no-such-model' }),
      () => app.api.importModel({ id: 'no-such-model', path: root }),
      () => app.api.removeModel({ id: 'no-such-model' }),
    ])
      await expect(call()).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('imports a model from a folder holding its files', async () => {
    const folder = path.join(root, 'from-usb');
    await writeTinyBert(folder, model);
    const info = await app.api.importModel({ id: 'all-minilm-l6-v2', path: folder });
    expect(info).toMatchObject({ id: 'all-minilm-l6-v2', installed: true, verified: true });
    await expect(app.api.importModel({ id: 'all-minilm-l6-v2', path: 'relative' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('fails the job with OFFLINE when the host cannot be reached, and flags changed files', async () => {
    await app.close();
    const installed = path.join(root, 'data', 'models', 'all-minilm-l6-v2', 'tokenizer.json');
    await fs.appendFile(installed, ' ');
    app = await openAt(await unreachableBaseUrl());
    const { jobId } = await app.api.downloadModel({ id: 'bge-small-en-v1.5' });
    expect(await settle(app, jobId)).toMatchObject({
      kind: 'download',
      state: 'failed',
      errorCode: 'OFFLINE',
    });
    const listed = (await app.api.listModels({})).find((m) => m.id === 'all-minilm-l6-v2');
    expect(listed).toMatchObject({ installed: true, verified: false });
  });
});
