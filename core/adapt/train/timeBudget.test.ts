import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Progress } from '../../base/index.ts';
import { DriftlessError } from '../../base/index.ts';
import { BundledEncoder } from '../../encoder/index.ts';
import type { Encoder } from '../../encoder/index.ts';
import type { JobContext } from '../../jobs/index.ts';
import type { TrainOptions } from '../types.ts';
import type { UseLiteCandidate } from './candidate.ts';
import { TEST_PAIRS, maxAbsDiff, testOptions } from './testSupport.ts';
import { flattenTrainable } from './trainableTensors.ts';
import { createUseLiteTrainer } from './trainer.ts';

const MINUTE = 60_000;

/**
 * Eight steps configured; at a minute a step, a 5-minute budget leaves 2 minutes after the three
 * timed steps: 5 steps in all. `minSteps` 2 keeps the run small enough for a test.
 */
const BUDGETED = testOptions({ steps: 8, batchSize: 2, learningRate: 1e-3, maxMinutes: 5, minSteps: 2 });

interface BudgetRun {
  /** The budget's clock moves by this much each time a training step reports: no sleeping. */
  msPerStep: number;
  checkpointDir: string;
  /** Fails the job's checkpoint after this step, as a crash of the run would leave it. */
  crashAfterStep?: number;
}

describe('USE-lite trainer under a time budget', () => {
  let dir: string;
  let from: Encoder;
  let planned: UseLiteCandidate;
  let plannedReports: Progress[];

  /** Trains with a clock that advances one `msPerStep` per reported step, and the reports it got. */
  const train = async (options: TrainOptions, run: BudgetRun) => {
    const clock = { ms: 0 };
    const reports: Progress[] = [];
    let lastDone: number | undefined;
    const context: JobContext = {
      signal: new AbortController().signal,
      report: (progress) => {
        reports.push(progress);
        if (progress.phase !== 'train') return;
        if (lastDone !== undefined && progress.done > lastDone) clock.ms += run.msPerStep;
        lastDone = Math.max(lastDone ?? progress.done, progress.done);
      },
      checkpoint: async () => {
        if (run.crashAfterStep !== undefined && (lastDone ?? 0) >= run.crashAfterStep)
          throw new Error('The training process crashed.');
      },
    };
    const cacheDir = path.join(dir, 'models');
    const trainer = createUseLiteTrainer({ cacheDir, threads: 1, checkpointEvery: 2, now: () => clock.ms });
    const result = trainer.train(
      { from, pairs: TEST_PAIRS, options, checkpointDir: run.checkpointDir },
      context,
    );
    return { result, reports };
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'driftless-budget-'));
    from = await BundledEncoder.load({ cacheDir: path.join(dir, 'models'), threads: 1 });
    const run = await train(BUDGETED, { msPerStep: MINUTE, checkpointDir: path.join(dir, 'planned') });
    planned = await run.result;
    plannedReports = run.reports;
  });

  afterAll(async () => {
    await planned.close();
    await from.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('plans the steps that fit the budget and says why in its report and progress', () => {
    const { backend } = planned.report;
    const reason = `8 steps planned; 5 fit the 5-minute budget at 60 s/step on ${backend}`;
    expect(planned.report.steps).toBe(5);
    expect(planned.report.stepPlan).toMatchObject({
      steps: 5,
      configuredSteps: 8,
      maxMinutes: 5,
      msPerStep: MINUTE,
      backend,
      reason,
    });
    const training = plannedReports.filter((progress) => progress.phase === 'train');
    // Until the plan, the configured steps bound the run; from the third step on, the plan does.
    expect(training.map(({ done, total }) => [done, total])).toEqual([
      [0, 8],
      [1, 8],
      [2, 8],
      [3, 8],
      [3, 5],
      [4, 5],
      [5, 5],
    ]);
    expect(training.at(-1)?.detail).toMatch(new RegExp(`^loss \\d+\\.\\d{4}; ${reason}$`));
    // Before the plan the Jobs view and the progress bars name the budget being timed against.
    expect(training[1]?.detail).toMatch(
      /^loss \d+\.\d{4}; timing the first steps against the 5-minute budget$/,
    );
  });

  it('keeps the configured steps when the budget fits them all', async () => {
    const options = testOptions({ steps: 4, batchSize: 2, maxMinutes: 10 });
    const run = await train(options, { msPerStep: MINUTE, checkpointDir: path.join(dir, 'fits') });
    const candidate = await run.result;
    await candidate.close();
    expect(candidate.report.steps).toBe(4);
    expect(candidate.report.stepPlan?.reason).toBe(
      `4 steps planned; all fit the 10-minute budget at 60 s/step on ${candidate.report.backend}`,
    );
  });

  it('resumes a crashed run with the total of its checkpoint', async () => {
    const checkpointDir = path.join(dir, 'crashed');
    const crashed = await train(BUDGETED, { msPerStep: MINUTE, checkpointDir, crashAfterStep: 4 });
    await expect(crashed.result).rejects.toThrow('The training process crashed.');
    // Now all 8 steps would fit: the resumed run still trains the 5 its checkpoint planned.
    const resumed = await (await train(BUDGETED, { msPerStep: 1000, checkpointDir })).result;
    await resumed.close();
    expect(resumed.report.resumedFromStep).toBe(4);
    expect(resumed.report.steps).toBe(5);
    expect(resumed.report.stepPlan).toEqual(planned.report.stepPlan);
    // ...and ends where the uninterrupted 5-step run ended.
    const theirs = flattenTrainable(planned.trainable);
    for (const [i, { tensor }] of flattenTrainable(resumed.trainable).entries())
      expect(maxAbsDiff(tensor.data, theirs[i]?.tensor.data ?? new Float32Array())).toBeLessThanOrEqual(1e-6);
  });

  it('refuses, saying why, when not even the fewest steps worth a run fit', async () => {
    const options = testOptions({ steps: 6, batchSize: 2, maxMinutes: 4, minSteps: 5 });
    const run = await train(options, { msPerStep: MINUTE, checkpointDir: path.join(dir, 'refused') });
    const refusal = await run.result.catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(DriftlessError);
    expect(refusal).toMatchObject({ code: 'CONFLICT', details: { fitSteps: 4, minSteps: 5 } });
    expect((refusal as Error).message).toMatch(
      /^Training refused: 4 steps fit the 4-minute budget at 60 s\/step on \S+, fewer than the 5 worth a run;/,
    );
  });
});
