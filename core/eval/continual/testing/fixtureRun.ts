import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIXTURE_DIMS, LinearEncoder, LinearTrainer } from '../../../adapt/testing/index.ts';
import type { FittedKind } from '../../../compat/index.ts';
import { continualPreset } from '../options.ts';
import type { ContinualDeps, ContinualOptions } from '../types.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

/** TEST FIXTURE. The two topic datasets of core/eval/fixtures, as a 2-task sequence. */
export const FIXTURE_DATASETS = [path.join(FIXTURES, 'topics-a'), path.join(FIXTURES, 'topics-b')];

/** TEST FIXTURE. Small options under which the linear fixture trainer learns and drifts. */
export function fixtureOptions(workDir: string, kinds: readonly FittedKind[], seed = 7): ContinualOptions {
  const preset = continualPreset('quick', { datasets: FIXTURE_DATASETS, seed, workDir });
  return {
    ...preset,
    train: { ...preset.train, steps: 8, batchSize: 8, learningRate: 0.3 },
    kinds,
    selfSupervisedPairs: 8,
    fitDocs: 12,
    depth: 20,
  };
}

/** TEST FIXTURE. The feature-hashing linear encoder as v0 and its real (gradient) fixture trainer. */
export function fixtureDeps(): Omit<ContinualDeps, 'onProgress'> {
  return { base: new LinearEncoder(FIXTURE_DIMS, 'v0'), trainer: new LinearTrainer({ driftAngle: 0.6 }) };
}
