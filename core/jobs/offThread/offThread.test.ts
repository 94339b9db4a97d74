import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DriftlessError, type Progress } from '../../base/index.ts';
import { fitCompensators as fitInProcess } from '../../compat/fitCompensators.ts';
import { BundledEncoder, type Encoder } from '../../encoder/index.ts';
import { TEST_PAIRS, testOptions } from '../../adapt/train/testSupport.ts';
import { createUseLiteTrainer } from '../../adapt/train/trainer.ts';
import { loadVersionEncoder } from '../../adapt/train/versionFiles.ts';
import type { EncoderTrainer } from '../../adapt/types.ts';
import type { JobContext } from '../types.ts';
import { fitForwardMap as fitForwardInProcess } from '../../compat/forwardMap.ts';
import { topicalDrift } from '../../compat/testing/syntheticDrift.ts';
import { fitCompensators, fitForwardMap } from './fit.ts';
import { OffThreadHost } from './host.ts';
import { createOffThreadTrainer } from './trainer.ts';

/** Eight steps over two batches of two pairs. */
const TRAINED = testOptions({ steps: 8, batchSize: 2, learningRate: 1e-3 });

/**
 * A job context like the queue's: progress is recorded and can be waited for, `pause` holds the
 * next checkpoint until `resume`, `cancel` aborts.
 */
function jobContext() {
  const controller = new AbortController();
  const reports: Progress[] = [];
  const waiters: Array<() => void> = [];
  let paused: Promise<void> | undefined;
  let resume: () => void = () => undefined;
  let onPausedCheckpoint: (() => void) | undefined;
  const context: JobContext = {
    signal: controller.signal,
    report: (progress) => {
      reports.push(progress);
      waiters.splice(0).forEach((wake) => wake());
    },
    checkpoint: async () => {
      if (paused) {
        onPausedCheckpoint?.();
        await paused;
      }
      if (controller.signal.aborted) throw new DriftlessError('CANCELLED', 'cancelled');
    },
  };
  const trainSteps = () => reports.filter((p) => p.phase === 'train').map((p) => p.done);
  return {
    context,
    reports,
    trainSteps,
    /** Resolves once a training step of at least `step` has been reported. */
    reached: async (step: number) => {
      while (!trainSteps().some((done) => done >= step))
        await new Promise<void>((wake) => waiters.push(wake));
    },
    /** Pauses; resolves once the worker waits at a checkpoint. */
    pause: () =>
      new Promise<void>((entered) => {
        paused = new Promise<void>((wake) => (resume = wake));
        onPausedCheckpoint = entered;
      }),
    resume: () => {
      paused = undefined;
      onPausedCheckpoint = undefined;
      resume();
    },
    cancel: () => controller.abort(),
  };
}

/** Runs `turns` turns of this thread's event loop, one after another. */
async function eventLoopTurns(turns: number): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

describe('heavy work on the worker thread', () => {
  let dir: string;
  let cacheDir: string;
  let from: Encoder;
  let host: OffThreadHost;
  let trainer: EncoderTrainer;
  const backends: string[] = [];
  let counter = 0;
  const train = (context: JobContext, checkpointDir = path.join(dir, `run-${counter++}`)) =>
    trainer.train({ from, pairs: TEST_PAIRS, options: TRAINED, checkpointDir }, context);

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'driftless-offthread-'));
    cacheDir = path.join(dir, 'models');
    from = await BundledEncoder.load({ cacheDir, threads: 1 });
    host = new OffThreadHost();
    trainer = createOffThreadTrainer({
      cacheDir,
      threads: 1,
      checkpointEvery: 2,
      host,
      onBackend: (name) => backends.push(name),
    });
  });

  afterAll(async () => {
    await host.close();
    await from.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('trains with real tfjs while this thread keeps serving: 50 turns and a query embedding finish within steps', async () => {
    const job = jobContext();
    // No checkpoint file is written before the last step: file writes would give this thread turns.
    const quiet = createOffThreadTrainer({
      cacheDir,
      threads: 1,
      checkpointEvery: 100,
      host,
      onBackend: (name) => backends.push(name),
    });
    const training = quiet.train(
      { from, pairs: TEST_PAIRS, options: TRAINED, checkpointDir: path.join(dir, 'served') },
      job.context,
    );
    // From step 3 every text's frozen features are cached: training in this thread would run
    // steps 3 to 8 without giving the event loop a single turn.
    await job.reached(2);
    await eventLoopTurns(50);
    await from.embedQueries(['a query served while training runs']);
    const stepsWhenServed = Math.max(...job.trainSteps());
    const candidate = await training;
    try {
      expect(stepsWhenServed).toBeLessThan(5);
      expect(backends).toEqual(['wasm']);
      expect(candidate.report).toMatchObject({ backend: 'wasm', steps: 8, pairs: TEST_PAIRS.length });
      // The step plan crosses threads with the report (the published manifest's `training`).
      expect(candidate.report.stepPlan).toMatchObject({ steps: 8, reason: '8 steps, no time budget' });
      // The same run in this thread gives the same model.
      const inProcess = await createUseLiteTrainer({ cacheDir, threads: 1, checkpointEvery: 100 }).train(
        { from, pairs: TEST_PAIRS, options: TRAINED, checkpointDir: path.join(dir, 'in-process') },
        jobContext().context,
      );
      expect(candidate.report.lastLoss).toBe(inProcess.report.lastLoss);
      expect(job.trainSteps().at(-1)).toBe(8);
      // The candidate embeds in the worker exactly as its published files do here.
      const versionDir = path.join(dir, 'v1');
      await candidate.writeVersionFiles(versionDir);
      const published = await loadVersionEncoder(versionDir, 'v1');
      const remote = await candidate.encoder();
      const texts = [...TEST_PAIRS.map((pair) => pair.query), ''];
      const here = await published.embedDocuments(texts);
      const there = await remote.embedDocuments(texts);
      expect(remote.countTokens(texts[0]!)).toBe(published.countTokens(texts[0]!));
      there.forEach((vector, i) => expect([...vector]).toEqual([...here[i]!]));
      const local = await (await inProcess.encoder()).embedDocuments(texts);
      local.forEach((vector, i) => expect([...vector]).toEqual([...here[i]!]));
      await Promise.all([published.close(), inProcess.close()]);
      // A published version trains on from its own files in the worker.
      const next = await trainer.train(
        {
          from: await loadVersionEncoder(versionDir, 'v1'),
          pairs: TEST_PAIRS,
          options: testOptions({ steps: 1 }),
          checkpointDir: path.join(dir, 'from-v1'),
        },
        jobContext().context,
      );
      expect(next.report.steps).toBe(1);
      await next.close();
    } finally {
      await candidate.close();
    }
    // Nothing but the version's own folder was written beside the models; no frozen model is kept.
    expect((await readdir(cacheDir)).filter((name) => name.startsWith('frozen-'))).toEqual([]);
  });

  it('waits at the job’s pause inside the worker, and a cancel while paused ends the run and keeps the checkpoint', async () => {
    await writeFile(path.join(cacheDir, 'frozen-0123456789abcdef.onnx'), 'left by an earlier release');
    const job = jobContext();
    const checkpointDir = path.join(dir, 'paused');
    const training = train(job.context, checkpointDir);
    await job.reached(2);
    await job.pause();
    const stepsAtPause = Math.max(...job.trainSteps());
    job.cancel();
    job.resume();
    await expect(training).rejects.toMatchObject({ code: 'CANCELLED' });
    // The worker stopped at the pause: at most the step in flight finished.
    expect(Math.max(...job.trainSteps())).toBeLessThanOrEqual(stepsAtPause + 1);
    expect(await readdir(checkpointDir)).toEqual(['checkpoint.bin']);
    expect((await readdir(cacheDir)).filter((name) => name.startsWith('frozen-'))).toEqual([]);
    // The same run resumes from the checkpoint.
    const resumed = await train(jobContext().context, checkpointDir);
    expect(resumed.report).toMatchObject({ resumedFromStep: 2, steps: 8 });
    await resumed.close();
  });

  it('fails the call when the worker dies mid-run, and the next run resumes from the checkpoint', async () => {
    const job = jobContext();
    const checkpointDir = path.join(dir, 'crashed');
    const training = train(job.context, checkpointDir);
    const failed = expect(training).rejects.toMatchObject({ code: 'INTERNAL' });
    await job.reached(3);
    await host.restart();
    await failed;
    const resumed = await train(jobContext().context, checkpointDir);
    expect(resumed.report).toMatchObject({ resumedFromStep: 2 });
    await resumed.close();
  });
});

describe('compensator fitting on the worker thread', () => {
  const pairs = (() => {
    let state = 7;
    const next = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
    const dims = 96;
    const newVecs = Array.from({ length: 1500 }, () => Float32Array.from({ length: dims }, next));
    const oldVecs = newVecs.map((vector) =>
      vector.map((x, i) => x * 0.9 + (i % 3 === 0 ? 0.2 : 0) + next() * 0.05),
    );
    return { newVecs, oldVecs };
  })();

  it('gives what the in-process fit gives, with progress, while this thread keeps turning', async () => {
    const progress: Progress[] = [];
    let settled = false;
    const fitting = fitCompensators(pairs, {
      fromVersion: 'v1',
      toVersion: 'v0',
      onProgress: (p) => progress.push(p),
    });
    void fitting.finally(() => (settled = true));
    // The in-process fit yields once per kind (five times in all).
    await eventLoopTurns(200);
    const servedBeforeFitEnded = !settled;
    const result = await fitting;
    const expected = await fitInProcess(pairs, { fromVersion: 'v1', toVersion: 'v0' });
    expect(servedBeforeFitEnded).toBe(true);
    expect(result.bestKind).toBe(expected.bestKind);
    expect(result.best.toSpec()).toEqual(expected.best.toSpec());
    expect(result.scores).toEqual(expected.scores);
    expect(progress.at(-1)).toMatchObject({ phase: 'fit-compensator' });
    expect(result.best.map(pairs.newVecs[0]!)).toEqual(expected.best.map(pairs.newVecs[0]!));
  });

  it('fits a forward map with its anchor correction as the in-process fit does', async () => {
    const anchors = topicalDrift(2, 120, 12);
    const options = { fromVersion: 'v0', toVersion: 'v1', kinds: ['linear' as const] };
    const [offThread, inProcess] = [
      await fitForwardMap(anchors, options),
      (await fitForwardInProcess(anchors, options)).map,
    ];
    expect(offThread.correction).toBeDefined();
    expect(offThread.correction!.params).toEqual(inProcess.correction!.params);
    expect(offThread.image(anchors.stored[5]!)).toEqual(inProcess.image(anchors.stored[5]!));
  });

  it('checks its arguments here and stops with CANCELLED on abort', async () => {
    const short = { newVecs: pairs.newVecs, oldVecs: pairs.oldVecs.slice(1) };
    await expect(fitCompensators(short)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const controller = new AbortController();
    const fitting = fitCompensators(pairs, { onProgress: () => controller.abort() }, controller.signal);
    await expect(fitting).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
