import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BundledEncoder, type Encoder } from '../encoder/index.ts';
import { loadCatalogue } from '../models/index.ts';
import { buildTinyBert, hubFiles, startModelServer, type ModelServer } from '../models/testing/index.ts';
import type { JobInfo } from '../service/contract.ts';
import { openApp, type App } from './index.ts';

/**
 * Switching the search model, through the API, with a real tiny BERT (384-d, like the catalogue
 * entry it is served as) from a local hub, real LanceDB and the real bundled encoder.
 */
const MODEL = 'all-minilm-l6-v2';
let root: string;
let notes: string;
let server: ModelServer;
let app: App;

const dataDir = () => path.join(root, 'data');
const open = () => openApp({ dataDir: dataDir(), modelBaseUrl: server.baseUrl });

async function settled(jobId: string): Promise<JobInfo> {
  await app.idle();
  const job = (await app.api.listJobs({})).find((j) => j.id === jobId);
  if (!job) throw new Error(`job ${jobId} is not listed`);
  return job;
}

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-search-model-'));
  notes = path.join(root, 'notes');
  await fs.mkdir(notes);
  await fs.writeFile(path.join(notes, 'bread.md'), '# Sourdough\n\nFeed the starter with flour and water.');
  await fs.writeFile(path.join(notes, 'pods.md'), '# Kubernetes pods\n\nA pod groups containers.');
  const entry = (await loadCatalogue()).models.find((m) => m.id === MODEL)!;
  server = await startModelServer(
    hubFiles(entry, buildTinyBert({ hiddenSize: entry.dimensions, maxPositions: entry.maxTokens })),
  );
  app = await open();
  const journal = path.join(root, 'journal');
  await fs.mkdir(journal);
  await fs.writeFile(path.join(journal, 'trip.md'), '# Alps trip\n\nHiking boots and a rain jacket.');
  await app.api.addFolder({ path: notes });
  await app.api.addFolder({ path: journal });
  await app.idle();
}, 120_000);

afterAll(async () => {
  await app?.close();
  await server?.close();
  await fs.rm(root, { recursive: true, force: true });
});

describe('switching the search model', () => {
  it('refuses a model that is not installed and keeps searching with the current one', async () => {
    await expect(app.api.useModel({ id: MODEL })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(app.api.useModel({ id: 'no-such-model' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await app.api.status({})).encoder).toMatchObject({ backboneId: 'use-lite', dimensions: 512 });
  });

  it('builds the model its own index of every note, then searches with it', async () => {
    const before = await app.api.status({});
    expect((await settled((await app.api.downloadModel({ id: MODEL })).jobId)).state).toBe('finished');
    const job = await settled((await app.api.useModel({ id: MODEL })).jobId);
    expect(job).toMatchObject({
      kind: 'reindex',
      state: 'finished',
      label: 'Switch search to all-MiniLM-L6-v2',
    });

    const status = await app.api.status({});
    expect(status.encoder).toMatchObject({ backboneId: MODEL, dimensions: 384 });
    expect(status).toMatchObject({ notes: before.notes, currentVersion: 'v0' });
    expect(status.rowsByVersion).toEqual({ v0: status.chunks });
    const dense = await app.api.search({ query: 'starter flour', mode: 'dense' });
    expect(dense.hits.map((hit) => hit.notePath).sort()).toEqual(['bread.md', 'pods.md', 'trip.md']);
    expect((await app.api.search({ query: 'containers' })).hits[0]?.notePath).toBe('pods.md');
    expect((await app.api.listModels({})).find((m) => m.id === MODEL)?.usedForSearch).toBe(true);
  });

  it('keeps the model in use: it cannot be removed, adaptation is refused, a restart keeps it', async () => {
    await expect(app.api.removeModel({ id: MODEL })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(app.api.startAdaptation({})).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    await app.close();
    app = await open();
    expect((await app.api.status({})).encoder.backboneId).toBe(MODEL);
  });

  it('switches back to the bundled index, brought up to date with changes made meanwhile', async () => {
    await fs.writeFile(path.join(notes, 'garden.md'), '# Tomatoes\n\nStake the tomato plants in June.');
    await app.api.syncFolders({});
    const journal = (await app.api.listFolders({})).find((folder) => folder.root.endsWith('journal'))!;
    await app.api.removeFolder({ folderId: journal.id });
    await app.idle();
    expect((await app.api.search({ query: 'tomato', mode: 'text' })).hits[0]?.notePath).toBe('garden.md');

    const job = await settled((await app.api.useModel({ id: 'bundled' })).jobId);
    expect(job.state).toBe('finished');
    const status = await app.api.status({});
    expect(status.encoder).toMatchObject({ backboneId: 'use-lite', dimensions: 512 });
    expect(status.notes).toBe(3);
    expect((await app.api.search({ query: 'tomato', mode: 'text' })).hits[0]?.notePath).toBe('garden.md');
    expect((await app.api.search({ query: 'hiking boots', mode: 'text' })).hits).toEqual([]);
    expect((await app.api.listModels({})).every((m) => !m.usedForSearch)).toBe(true);
  });

  it('finishes a search in flight on the space it started on while a switch replaces it', async () => {
    await app.close();
    // The first search loads the bundled encoder: held here until the switch has replaced the space.
    let reached!: () => void;
    const searchWaits = new Promise<void>((resolve) => (reached = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const loadEncoder = async (): Promise<Encoder> => {
      reached();
      await released;
      return BundledEncoder.load({ cacheDir: path.join(dataDir(), 'models', 'use-lite') });
    };
    app = await openApp({ dataDir: dataDir(), modelBaseUrl: server.baseUrl, loadEncoder });
    const search = app.api.search({ query: 'starter flour', mode: 'dense' });
    await searchWaits;
    expect((await settled((await app.api.useModel({ id: MODEL })).jobId)).state).toBe('finished');
    release();

    const hits = (await search).hits.map((hit) => hit.notePath);
    expect(hits.sort()).toEqual(['bread.md', 'garden.md', 'pods.md']);
    expect((await app.api.status({})).encoder).toMatchObject({ backboneId: MODEL, dimensions: 384 });
    expect((await settled((await app.api.useModel({ id: 'bundled' })).jobId)).state).toBe('finished');
  });

  it('leaves search on the current model when the new model cannot be loaded', async () => {
    await fs.writeFile(path.join(dataDir(), 'models', MODEL, 'onnx', 'model.onnx'), 'not a model');
    const job = await settled((await app.api.useModel({ id: MODEL })).jobId);
    expect(job.state).toBe('failed');
    expect((await app.api.status({})).encoder.backboneId).toBe('use-lite');
    expect((await app.api.search({ query: 'Kubernetes pods' })).hits[0]?.notePath).toBe('pods.md');
  });
});
