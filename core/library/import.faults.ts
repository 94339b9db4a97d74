import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp } from '../app/index.ts';
import { FeatureHashingEncoder } from '../testing/index.ts';
import { runTsChild, seededRandom } from '../testing/faults/childProcess.ts';
import { indexSnapshot, type NoteSnapshot } from '../testing/faults/indexState.ts';
import { writeNoteFolder } from '../testing/faults/noteFolder.ts';

const NOTE_COUNT = 2000;
const SEED = Number(process.env.DRIFTLESS_FAULT_SEED ?? 20261129);
const LANES = 4;
const KILLS_PER_LANE = 6;
const CHILD = 'core/testing/faults/importChild.ts';

let root: string;
let notesDir: string;
let reference: NoteSnapshot[];

/**
 * The seeded kill points: mostly LanceDB mutations (before or after the n-th add, merge-insert or
 * delete, counted from the child's start, so they hit the repair on open, chunk adds, the commit
 * step and the cleanup), plus renames of the JSON files (folder list, import report).
 */
function killPlan(): string[][] {
  const random = seededRandom(SEED);
  return Array.from({ length: LANES }, (_, lane) =>
    Array.from({ length: KILLS_PER_LANE }, (_, step) => {
      if (step === 0 && lane === 0) return 'fs:rename:2:after'; // the index's metadata, then folders.json written; nothing indexed
      if (step === KILLS_PER_LANE - 1 && lane === 1) return 'fs:rename:1:before'; // report of the finished import
      const at = 1 + Math.floor(random() * 24);
      return `mutation:${at}:${random() < 0.5 ? 'before' : 'after'}`;
    }),
  );
}

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-import-faults-'));
  notesDir = path.join(root, 'notes');
  await writeNoteFolder(notesDir, NOTE_COUNT);
  const clean = path.join(root, 'reference');
  const run = await runTsChild(CHILD, [clean, notesDir, 'none']);
  expect(run.stdout).toContain('finished');
  reference = (await indexSnapshot(clean)).notes;
  expect(reference).toHaveLength(NOTE_COUNT);
});
afterAll(() => fs.rm(root, { recursive: true, force: true }));

/** What must hold after any crash: the index opens, only whole notes are visible, search answers. */
async function expectConsistent(dataDir: string): Promise<NoteSnapshot[]> {
  const { notes, rows } = await indexSnapshot(dataDir);
  for (const note of notes) expect(note.visible, note.path).toHaveLength(note.chunks);
  expect(rows).toBe(notes.reduce((sum, note) => sum + note.chunks, 0));
  const byPath = new Map(reference.map((note) => [note.path, note]));
  for (const note of notes) expect(note).toEqual(byPath.get(note.path));

  const app = await openApp({
    dataDir,
    loadEncoder: async () => new FeatureHashingEncoder({ dimensions: 512 }),
  });
  try {
    const status = await app.api.status({});
    expect(status.notes).toBe(notes.length);
    const result = await app.api.search({ query: 'topic7 word3', limit: 5 });
    if (notes.length > 0) expect(result.hits.length).toBeGreaterThan(0);
    const indexed = new Set(notes.map((note) => note.path));
    for (const hit of result.hits) expect(indexed.has(hit.notePath)).toBe(true);
  } finally {
    await app.close();
  }
  return notes;
}

describe(`an import of ${NOTE_COUNT} notes killed with SIGKILL (seed ${SEED})`, () => {
  const plan = killPlan();
  it.each(plan.map((kills, lane) => [lane, kills] as const))(
    'lane %i: stays consistent after every kill and resumes to the uninterrupted result',
    async (lane, kills) => {
      const dataDir = path.join(root, `lane-${lane}`);
      const counts: number[] = [];
      for (const kill of kills) {
        const run = await runTsChild(CHILD, [dataDir, notesDir, kill]);
        if (run.signal !== 'SIGKILL') expect(run.stdout, `${kill}: ${run.stderr}`).toContain('finished');
        if (run.signal === 'SIGKILL') expect(run.stderr).toContain(`kill point reached: ${kill}`);
        counts.push((await expectConsistent(dataDir)).length);
      }
      console.log(
        `lane ${lane} kill points ${kills.join(', ')} -> notes visible after each: ${counts.join(', ')}`,
      );
      const resumed = await runTsChild(CHILD, [dataDir, notesDir, 'none']);
      expect(resumed.stdout, resumed.stderr).toContain('finished');
      expect(await expectConsistent(dataDir)).toEqual(reference);
    },
  );
});
