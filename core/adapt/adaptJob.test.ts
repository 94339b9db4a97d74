import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAdaptation, type AdaptationOptions } from './adaptJob.ts';
import { loadAnchorNotes } from './anchors.ts';
import {
  FIXTURE_ADAPTATION,
  LinearTrainer,
  openAdaptWorld,
  testJobContext,
  topicNotes,
  type AdaptWorld,
} from './testing/index.ts';

let world: AdaptWorld;
beforeEach(async () => {
  world = await openAdaptWorld();
  await world.write(topicNotes(36), 'v0');
});
afterEach(() => world.close());

const options: AdaptationOptions = FIXTURE_ADAPTATION;

describe('runAdaptation', () => {
  it('trains, fits a compensator, passes the gate and publishes the new current version', async () => {
    const context = testJobContext();
    const outcome = await runAdaptation(world.deps(), options, context);
    expect(outcome).toMatchObject({ version: 'v1', parent: 'v0' });
    expect(world.versions.current.version).toBe('v1');
    const manifest = world.versions.get('v1');
    expect(manifest.compensator).toMatchObject({ file: 'compensator.json' });
    expect(Object.keys(manifest.files).sort()).toEqual([
      'anchors.json',
      'compensator.json',
      // The linear fixture's change differs by topic: the forward map keeps an anchor correction.
      'correction-v0.json',
      'forward-v0.json',
      'linear.json',
    ]);
    expect(manifest.training).toMatchObject({ backend: 'fixture-linear', steps: 20 });
    const m = manifest.metrics!;
    // Judged on the app's own search over the index as it is: every row still embedded by v0.
    expect(m.mrrAfter).toBeGreaterThan(m.mrrBefore!);
    expect(m.gateQueries).toBeGreaterThan(0);
    expect(context.progress.map((p) => p.phase)).toEqual(
      expect.arrayContaining(['train', 'gate', 'publish']),
    );
    expect(await fs.readdir(path.join(world.dir, 'jobs'))).toEqual([]);
    // Every v0 row fits in the anchor budget: the notes are all re-embedded, none left to map.
    expect(outcome.metrics.anchorRowsKept).toBe(108);
    expect(await world.index.countRowsByVersion()).toEqual({ v1: 108 });
    expect(await loadAnchorNotes(world.versions, 'v1')).toHaveLength(36);
  });

  it('refuses a candidate that makes search worse and keeps the current version', async () => {
    const bad = new LinearTrainer({ mode: 'collapse' });
    const failure = runAdaptation(world.deps(bad), options, testJobContext());
    await expect(failure).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('search did not improve'),
    });
    expect(world.versions.list().map((m) => m.version)).toEqual(['v0']);
    expect(world.versions.current.version).toBe('v0');
  });

  it('a crash mid-training leaves no half version, and the rerun resumes from the checkpoint', async () => {
    const crashing = new LinearTrainer({ crashAtStep: 7 });
    await expect(runAdaptation(world.deps(crashing), options, testJobContext())).rejects.toThrow(/crashed/);
    expect(world.versions.list().map((m) => m.version)).toEqual(['v0']);
    expect(await fs.readdir(world.versions.dir)).toEqual(
      expect.not.arrayContaining([expect.stringMatching(/^(\.staging|v1)/)]),
    );
    const resumed = new LinearTrainer();
    await runAdaptation(world.deps(resumed), options, testJobContext());
    expect(resumed.resumedFromStep).toBe(5);
    expect(world.versions.current.version).toBe('v1');
  });

  it('stops with CANCELLED when cancelled, publishing nothing', async () => {
    const context = testJobContext();
    context.cancel();
    await expect(runAdaptation(world.deps(), options, context)).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(world.versions.current.version).toBe('v0');
  });

  it('refuses to run with too few pairs', async () => {
    await expect(
      runAdaptation(world.deps(), { ...options, minPairs: 10_000 }, testJobContext()),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });
});
