import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectAdaptFolder, type AdaptState } from '../testing/faults/adaptState.ts';
import { runTsChild, seededRandom } from '../testing/faults/childProcess.ts';
import { writeTopicFolder } from '../testing/faults/topicFolder.ts';

/**
 * kill -9 during the encoder-version jobs, with the linear fixture encoder and trainer (fast): an
 * adaptation (training steps and checkpoints, compensator fitting, gate, publish, keeping its
 * anchors), a backfill and a reindex. After every kill the data folder must open with search
 * working, no note half indexed, a complete current version, and the interrupted job listed as
 * failed with its reason (or not started at all); a re-run resumes it and reaches the
 * uninterrupted run's state.
 */
const SEED = Number(process.env.DRIFTLESS_FAULT_SEED ?? 20261129);
const CHILD = 'core/testing/faults/adaptChild.ts';
const NOTES = 48;
const EXTRA_NOTES = 12;

type Step = 'adapt' | 'backfill' | 'reindex';
const bases = {} as Record<Step, { dir: string; before: AdaptState; after: AdaptState }>;
let root: string;
let notesDir: string;

async function run(dataDir: string, step: string, kill = 'none') {
  const result = await runTsChild(CHILD, [dataDir, notesDir, step, kill]);
  if (kill === 'none' || result.signal !== 'SIGKILL')
    expect(result.stdout, `${step} ${kill}: ${result.stderr}`).toContain('finished');
  return result;
}

async function copy(from: string, name: string): Promise<string> {
  const to = path.join(root, name);
  await fs.cp(from, to, { recursive: true });
  return to;
}

const inspect = (dir: string) => inspectAdaptFolder(dir, path.join(dir, 'versions'));

/** A base folder for `step` and the state its uninterrupted run ends in. */
async function prepare(step: Step, base: string): Promise<void> {
  const before = (await inspect(base)).state;
  const reference = await copy(base, `${step}-reference`);
  await run(reference, step);
  bases[step] = { dir: base, before, after: (await inspect(reference)).state };
}

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-adapt-faults-'));
  notesDir = path.join(root, 'notes');
  await writeTopicFolder(notesDir, NOTES);
  const imported = path.join(root, 'imported');
  await run(imported, 'import');
  await prepare('adapt', imported);
  // Backfill: v1 is current; its anchor notes' rows are v1's, every other row still v0's.
  const adapted = await copy(path.join(root, 'adapt-reference'), 'adapted');
  await prepare('backfill', adapted);
  // Reindex: every row backfilled to v1, a rollback to v0, then new notes indexed with v0.
  const mixed = await copy(path.join(root, 'backfill-reference'), 'mixed');
  await run(mixed, 'rollback');
  await writeTopicFolder(notesDir, EXTRA_NOTES, NOTES);
  await run(mixed, 'import');
  await prepare('reindex', mixed);
  expect(bases.adapt.after.versions).toEqual([
    ['v0', undefined],
    ['v1', 'v0'],
  ]);
  expect(Object.keys(bases.backfill.before.rowsByVersion).sort()).toEqual(['v0', 'v1']);
  expect(bases.backfill.after.rowsByVersion).toEqual({ v1: expect.any(Number) });
  expect(Object.keys(bases.reindex.before.rowsByVersion).sort()).toEqual(['v0', 'v1']);
  expect(bases.reindex.after.rowsByVersion).toEqual({ v0: expect.any(Number) });
});
afterAll(() => fs.rm(root, { recursive: true, force: true }));

/**
 * Seeded kill points. Adaptation: training steps (between checkpoints and right after one),
 * compensator fitting, gate, publish, and the file renames of checkpoints, the job journal and the
 * version publish. Backfill and reindex: before or after their LanceDB writes (chunk adds, the
 * commit upsert, the cleanup deletes).
 */
function killPlan(): Array<[Step, string]> {
  const random = seededRandom(SEED);
  const pick = (most: number) => 1 + Math.floor(random() * most);
  const side = () => (random() < 0.5 ? 'before' : 'after');
  const adapt = new Set([
    `phase:train:${pick(4)}`,
    `phase:train:${5 + pick(14)}`,
    'phase:fit-compensator:1',
    'phase:gate:1',
    'phase:publish:1',
    'phase:keep-anchors:1', // published; the anchors' rows not yet written
    'fs:rename:1:after', // the job journal written, nothing else
    'fs:rename:9:after', // the version published, the job not yet settled
    'fs:writeFile:3:after', // the first training checkpoint's temp file (after two lock files)
  ]);
  // Renames: 1 the journal, 2-5 the training checkpoints, 6-9 the publish (the last: its folder).
  while (adapt.size < 11) adapt.add(`fs:rename:${1 + pick(8)}:${side()}`);
  const mutations = (count: number, most: number) => {
    const points = new Set<string>();
    while (points.size < count) points.add(`mutation:${pick(most)}:${side()}`);
    return [...points];
  };
  return [
    ...[...adapt].map((kill): [Step, string] => ['adapt', kill]),
    ...mutations(6, 9).map((kill): [Step, string] => ['backfill', kill]),
    ...mutations(6, 9).map((kill): [Step, string] => ['reindex', kill]),
  ];
}

/** A note as committed, without which version embedded it (a reindex changes only that). */
const committed = (note: AdaptState['notes'][number]) => [note.path, note.hash, note.visible];

describe(`encoder-version jobs killed with SIGKILL (seed ${SEED})`, () => {
  const plan = killPlan();
  const outcomes: string[] = [];

  it('plans enough kill points', () => expect(plan.length).toBeGreaterThanOrEqual(20));

  // One test per kill point: each gets the whole time limit, and a failure names its point.
  for (const [i, [step, kill]] of plan.entries()) {
    it(`recovers from ${step} ${kill} and resumes to the uninterrupted state`, async () => {
      const dir = await copy(bases[step].dir, `kill-${i}`);
      const killed = (await run(dir, step, kill)).signal === 'SIGKILL';
      const view = await inspect(dir);
      const label = `${step} ${kill}`;
      expect(view.damage, label).toEqual([]);
      expect(view.halfIndexed, label).toEqual([]);
      expect(view.hits, label).toBeGreaterThan(0);
      expect(view.state.notes.map(committed), label).toEqual(bases[step].before.notes.map(committed));
      const reported = view.failed.filter((job) => job.kind === step && /^Interrupted/.test(job.error ?? ''));
      if (reported.length === 0)
        expect(
          [bases[step].before, bases[step].after],
          `${label}: neither reported nor clean`,
        ).toContainEqual(view.state);
      expect(view.failed.length, label).toBe(reported.length);

      await run(dir, step);
      const final = await inspect(dir);
      expect(final.state, label).toEqual(bases[step].after);
      expect(final.failed, label).toEqual([]);
      outcomes.push(`${label}${killed ? '' : ' (not reached)'}${reported.length ? ' -> reported' : ''}`);
      await fs.rm(dir, { recursive: true, force: true });
    });
  }

  it('reaches most of them', () => {
    console.log(`adaptation kill points: ${outcomes.join('; ')}`);
    expect(outcomes).toHaveLength(plan.length);
    expect(outcomes.filter((outcome) => outcome.includes('not reached')).length).toBeLessThan(
      plan.length / 4,
    );
  });
});
