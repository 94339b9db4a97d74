import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../models/index.ts';
import { buildTinyBert, hubFiles, startModelServer, type ModelServer } from '../models/testing/index.ts';
import { FeatureHashingEncoder } from '../testing/index.ts';
import { runTsChild, seededRandom } from '../testing/faults/childProcess.ts';
import { indexSnapshot, type NoteSnapshot } from '../testing/faults/indexState.ts';
import { writeNoteFolder } from '../testing/faults/noteFolder.ts';
import { openApp } from './index.ts';

const MODEL = 'all-minilm-l6-v2';
const NOTE_COUNT = 300;
const SEED = Number(process.env.DRIFTLESS_FAULT_SEED ?? 20261129);
const CHILD = 'core/testing/faults/switchChild.ts';

let root: string;
let notesDir: string;
let hub: ModelServer;
let dimensions: number;
let reference: NoteSnapshot[];

/**
 * Seeded kill points: LanceDB mutations while the model's index is built (chunk adds, note
 * commits), and the renames of a switch: the new space's v0 manifest (1), its index metadata (2)
 * and the recorded choice, search-model.json (3: before it, the old model stays; after it, the new).
 */
function killPlan(): string[] {
  const random = seededRandom(SEED + 5);
  const mutations = Array.from(
    { length: 6 },
    () => `mutation:${1 + Math.floor(random() * 12)}:${random() < 0.5 ? 'before' : 'after'}`,
  );
  return [...mutations, 'fs:rename:1:after', 'fs:rename:2:after', 'fs:rename:3:before', 'fs:rename:3:after'];
}

const spaceIndex = (dataDir: string) => path.join(dataDir, 'spaces', MODEL, 'index');

async function setUp(dataDir: string): Promise<void> {
  const run = await runTsChild(CHILD, [dataDir, notesDir, hub.baseUrl, MODEL, 'setup', 'none']);
  expect(run.stdout, run.stderr).toContain('finished use-lite');
}

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-switch-faults-'));
  notesDir = path.join(root, 'notes');
  await writeNoteFolder(notesDir, NOTE_COUNT);
  const entry = (await loadCatalogue()).models.find((m) => m.id === MODEL)!;
  dimensions = entry.dimensions;
  hub = await startModelServer(
    hubFiles(entry, buildTinyBert({ hiddenSize: entry.dimensions, maxPositions: entry.maxTokens })),
  );
  const clean = path.join(root, 'reference');
  await setUp(clean);
  const run = await runTsChild(CHILD, [clean, notesDir, hub.baseUrl, MODEL, 'switch', 'none']);
  expect(run.stdout, run.stderr).toContain(`finished ${MODEL}`);
  reference = (await indexSnapshot(clean, dimensions, spaceIndex(clean))).notes;
  expect(reference).toHaveLength(NOTE_COUNT);
}, 240_000);
afterAll(async () => {
  await hub?.close();
  await fs.rm(root, { recursive: true, force: true });
});

/**
 * After a crash: search uses either the old model or the new one, never a half-built index; the
 * bundled index is untouched; the model's index has only whole notes; the app opens and searches.
 */
async function expectConsistent(dataDir: string): Promise<string> {
  const app = await openApp({
    dataDir,
    modelBaseUrl: hub.baseUrl,
    loadEncoder: async () => new FeatureHashingEncoder({ dimensions: 512 }),
  });
  let model: string;
  try {
    const status = await app.api.status({});
    model = status.encoder.backboneId;
    expect(['use-lite', MODEL]).toContain(model);
    expect(status.notes).toBe(NOTE_COUNT);
    expect((await app.api.search({ query: 'topic7 word3', limit: 5 })).hits.length).toBeGreaterThan(0);
  } finally {
    await app.close();
  }
  expect((await indexSnapshot(dataDir)).notes).toHaveLength(NOTE_COUNT);
  const { notes } = await indexSnapshot(dataDir, dimensions, spaceIndex(dataDir));
  for (const note of notes) expect(note.visible, note.path).toHaveLength(note.chunks);
  if (model === MODEL) expect(notes).toEqual(reference);
  return model;
}

describe(`a switch of the search model killed with SIGKILL (seed ${SEED})`, () => {
  it.each(killPlan())('%s: keeps one complete model in use, and the switch resumes', async (kill) => {
    const dataDir = path.join(root, kill.replaceAll(':', '-'));
    await setUp(dataDir);
    const run = await runTsChild(CHILD, [dataDir, notesDir, hub.baseUrl, MODEL, 'switch', kill]);
    if (run.signal === 'SIGKILL') expect(run.stderr).toContain(`kill point reached: ${kill}`);
    else expect(run.stdout, `${kill}: ${run.stderr}`).toContain(`finished ${MODEL}`);
    const after = await expectConsistent(dataDir);
    console.log(`${kill}: ${run.signal ?? 'ran to the end'}, search model after restart: ${after}`);

    const resumed = await runTsChild(CHILD, [dataDir, notesDir, hub.baseUrl, MODEL, 'switch', 'none']);
    expect(resumed.stdout, resumed.stderr).toContain(`finished ${MODEL}`);
    expect(await expectConsistent(dataDir)).toBe(MODEL);
  });
});
