import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BundledEncoder } from '../../encoder/index.ts';
import type { JobContext } from '../../jobs/index.ts';
import { TEST_PAIRS, testContext, testOptions } from './testSupport.ts';
import { createUseLiteTrainer } from './trainer.ts';

// Its own file, so its own process: a backend retired by a fault stays retired for the process.
describe('a time-budgeted run whose backend runs out of memory', () => {
  let dir: string;
  let from: BundledEncoder;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'driftless-fault-plan-'));
    from = await BundledEncoder.load({ cacheDir: path.join(dir, 'models'), threads: 1 });
  });

  afterAll(async () => {
    await from.close();
    await rm(dir, { recursive: true, force: true });
  });

  /**
   * Plans on wasm at 10 s a step (by a clock that moves as steps report), then wasm runs out of
   * memory after step 3; cpu takes a minute a step. A 1.5-minute budget fits all 5 steps at wasm's
   * speed, but only 4 once a step on cpu has been timed: the plan is made again on cpu.
   */
  it('plans the steps again on the backend it moved to', { timeout: 600_000 }, async () => {
    const clock = { ms: 0 };
    const base = testContext();
    let exhausted = false;
    let lastDone = 0;
    const context: JobContext = {
      ...base,
      report: (progress) => {
        base.report(progress);
        if (progress.done > lastDone) clock.ms += tf.getBackend() === 'wasm' ? 10_000 : 60_000;
        lastDone = Math.max(lastDone, progress.done);
      },
      checkpoint: async () => {
        if (!exhausted && lastDone >= 3 && tf.getBackend() === 'wasm') {
          exhausted = true;
          tf.matMul(tf.ones([40_000, 1]), tf.ones([1, 40_000]));
        }
        await base.checkpoint();
      },
    };
    const trainer = createUseLiteTrainer({
      cacheDir: path.join(dir, 'models'),
      threads: 1,
      backends: ['wasm', 'cpu'],
      checkpointEvery: 10,
      now: () => clock.ms,
    });
    const options = testOptions({ steps: 5, batchSize: 2, maxMinutes: 1.5, minSteps: 2 });
    const candidate = await trainer.train(
      { from, pairs: TEST_PAIRS, options, checkpointDir: path.join(dir, 'replanned') },
      context,
    );
    try {
      // The plan made on wasm was saved at step 3; cpu resumed from it and timed its own step.
      expect(candidate.report).toMatchObject({ backend: 'cpu', resumedFromStep: 3, steps: 4 });
      expect(candidate.report.stepPlan?.reason).toBe(
        '5 steps planned; 4 fit the 1.5-minute budget at 60 s/step on cpu',
      );
    } finally {
      await candidate.close();
    }
  });
});
