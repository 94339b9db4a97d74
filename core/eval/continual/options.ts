import { DEFAULT_TRAIN } from '../../adapt/index.ts';
import { FITTED_KINDS } from '../../compat/index.ts';
import type { ContinualOptions } from './types.ts';

/** Caps and step counts of a `--quick` run: minutes on two cores. */
const QUICK: Omit<ContinualOptions, 'datasets' | 'seed' | 'workDir'> = {
  mode: 'quick',
  sample: { maxDocs: 300, maxTrainQueries: 50, maxTestQueries: 50 },
  train: {
    steps: 12,
    batchSize: 16,
    negativesPerPair: 1,
    temperature: 0.02,
    learningRate: 1e-4,
    weightDecay: 0,
    warmupSteps: 2,
    clipNorm: 1,
    // Only the app's chain reads it, so it trains as the app does.
    lc: DEFAULT_TRAIN.lc ?? 0,
  },
  kinds: FITTED_KINDS,
  signals: 'labelled',
  selfSupervisedPairs: 100,
  fitDocs: 200,
  depth: 100,
};

/** A full run: every document and query, the adaptation job's default training length. */
const FULL: Omit<ContinualOptions, 'datasets' | 'seed' | 'workDir'> = {
  ...QUICK,
  mode: 'full',
  sample: {},
  train: { ...QUICK.train, steps: 200, batchSize: 32, negativesPerPair: 2, warmupSteps: 20 },
  selfSupervisedPairs: 1000,
  fitDocs: 1000,
};

/** The options of a quick or full run over `datasets`, before any explicit overrides. */
export function continualPreset(
  mode: 'quick' | 'full',
  base: { datasets: readonly string[]; seed: number; workDir: string },
): ContinualOptions {
  const preset = mode === 'quick' ? QUICK : FULL;
  return { ...preset, sample: { ...preset.sample }, train: { ...preset.train }, ...base };
}
