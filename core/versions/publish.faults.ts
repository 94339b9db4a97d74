import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VersionStore } from './index.ts';
import { runTsChild, seededRandom } from '../testing/faults/childProcess.ts';

const SEED = Number(process.env.DRIFTLESS_FAULT_SEED ?? 20261129);
const CHILD = 'core/testing/faults/publishChild.ts';
let root: string;
let reference: unknown;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-publish-faults-'));
  const dir = path.join(root, 'reference');
  await VersionStore.open(dir, 'feature-hashing');
  const run = await runTsChild(CHILD, [dir, 'none']);
  expect(run.stdout, run.stderr).toContain('finished');
  reference = await versionState(dir);
});
afterAll(() => fs.rm(root, { recursive: true, force: true }));

/** Everything a reader of the versions folder relies on, without creation times. */
async function versionState(dir: string) {
  const store = await VersionStore.open(dir, 'feature-hashing');
  await store.verify(store.current.version);
  const entries = await fs.readdir(dir);
  return {
    current: store.current.version,
    damaged: store.damaged(),
    leftovers: entries.filter((entry) => entry.startsWith('.staging-') || entry.endsWith('.tmp')),
    versions: store.list().map(({ createdMs: _createdMs, ...manifest }) => manifest),
  };
}

/**
 * Seeded kill points over every file-system step of a publish: staging folder, the job's own
 * files, checksum reads, the fsyncs, the manifest and current.json written atomically, the rename.
 */
function killPlan(): string[] {
  const random = seededRandom(SEED);
  const fixed = [
    'fs:rename:1:after',
    'fs:rename:2:before',
    'fs:rename:2:after',
    'fs:rename:3:before',
    'fs:rename:3:after',
  ];
  const ops: Array<[string, number]> = [
    ['mkdir', 3],
    ['writeFile', 2],
    ['open', 8],
    ['rename', 3],
  ];
  const plan = new Set(fixed);
  while (plan.size < 22) {
    const [op, most] = ops[Math.floor(random() * ops.length)]!;
    plan.add(`fs:${op}:${1 + Math.floor(random() * most)}:${random() < 0.5 ? 'before' : 'after'}`);
  }
  return [...plan];
}

describe(`publishing an encoder version killed with SIGKILL (seed ${SEED})`, () => {
  const plan = killPlan();
  it(`keeps a complete current version at each of ${plan.length} kill points and finishes on re-run`, async () => {
    expect(plan.length).toBeGreaterThanOrEqual(20);
    const outcomes: string[] = [];
    for (const [i, kill] of plan.entries()) {
      const dir = path.join(root, `kill-${i}`);
      await VersionStore.open(dir, 'feature-hashing');
      const run = await runTsChild(CHILD, [dir, kill]);
      const killed = run.signal === 'SIGKILL';
      if (!killed) expect(run.stdout, `${kill}: ${run.stderr}`).toContain('finished');
      const after = await versionState(dir);
      expect(after.damaged, kill).toEqual([]);
      expect(after.leftovers, kill).toEqual([]);
      expect(['v0', 'v1'], kill).toContain(after.current);
      expect(
        after.versions.map((manifest) => manifest.version),
        kill,
      ).toEqual(after.current === 'v1' ? ['v0', 'v1'] : ['v0']);
      outcomes.push(`${kill}${killed ? '' : ' (not reached)'} -> ${after.current}`);

      const resumed = await runTsChild(CHILD, [dir, 'none']);
      expect(resumed.stdout, resumed.stderr).toContain('finished');
      expect(await versionState(dir), kill).toEqual(reference);
    }
    console.log(`publish kill points: ${outcomes.join('; ')}`);
  });
});
