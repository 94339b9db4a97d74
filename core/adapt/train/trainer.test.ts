import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DriftlessError } from '../../base/index.ts';
import { BundledEncoder } from '../../encoder/index.ts';
import type { Encoder, TrainableWeights } from '../../encoder/index.ts';
import type { TrainOptions } from '../types.ts';
import { sharedUseLiteParts } from './assets.ts';
import { BACKEND_PRIORITY } from './backend.ts';
import { TRAIN_PHASES } from './phaseClock.ts';
import type { UseLiteCandidate } from './candidate.ts';
import { createUseLiteTrainer } from './trainer.ts';
import { cosine, maxAbsDiff, TEST_PAIRS, testContext, testOptions, tfjsEmbeddings } from './testSupport.ts';
import { flattenTrainable } from './trainableTensors.ts';
import { loadVersionEncoder } from './versionFiles.ts';

// tfjs (training) and onnxruntime (inference) on the trained weights: max |diff| <= 1e-4, cosine >= 0.9999.
const MAX_ABS_DIFF = 1e-4;
const MIN_COSINE = 0.9999;
/** Four steps over two batches of two pairs: every pair is seen twice. */
const TRAINED = testOptions({ steps: 4, batchSize: 2, learningRate: 1e-3 });

function largestWeightDiff(a: TrainableWeights, b: TrainableWeights): number {
  const right = flattenTrainable(b);
  return Math.max(
    ...flattenTrainable(a).map(({ tensor }, i) =>
      maxAbsDiff(tensor.data, right[i]?.tensor.data ?? new Float32Array()),
    ),
  );
}

describe('USE-lite trainer', () => {
  let dir: string;
  let from: Encoder;
  let trainer: ReturnType<typeof createUseLiteTrainer>;
  let trained: UseLiteCandidate;
  let counter = 0;
  const queries = TEST_PAIRS.map((p) => p.query);
  const positives = TEST_PAIRS.map((p) => p.positive);

  const run = async (
    options: TrainOptions,
    context = testContext(),
    checkpointDir?: string,
  ): Promise<UseLiteCandidate> =>
    await trainer.train(
      {
        from,
        pairs: TEST_PAIRS,
        options,
        checkpointDir: checkpointDir ?? path.join(dir, `run-${counter++}`),
      },
      context,
    );

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'driftless-trainer-'));
    from = await BundledEncoder.load({ cacheDir: path.join(dir, 'models'), threads: 1 });
    trainer = createUseLiteTrainer({ cacheDir: path.join(dir, 'models'), threads: 1, checkpointEvery: 2 });
    trained = await run(TRAINED);
  });

  afterAll(async () => {
    await trained.close();
    await from.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lowers the loss and moves trained queries toward their positives', async () => {
    // Whichever backend this machine starts (tfjs-node where it installs, wasm elsewhere), it is one of
    // the registry's and says why it was chosen.
    expect(BACKEND_PRIORITY).toContain(trained.report.backend);
    expect(trained.report.backendReason).toMatch(/\S/);
    expect(trained.report.steps).toBe(4);
    expect(trained.report.lastLoss).toBeLessThan(trained.report.firstLoss * 0.5);
    const before = await from.embedQueries([...queries, ...positives]);
    const after = await (await trained.encoder()).embedQueries([...queries, ...positives]);
    const similarity = (vectors: Float32Array[], i: number): number =>
      cosine(vectors[i] ?? new Float32Array(), vectors[i + queries.length] ?? new Float32Array());
    queries.forEach((_, i) => expect(similarity(after, i)).toBeGreaterThan(similarity(before, i)));
  });

  it('splits each step into phases that add up to the step time', () => {
    const { phaseMs, msPerStep } = trained.report;
    expect(Object.keys(phaseMs).sort()).toEqual([...TRAIN_PHASES].sort());
    for (const ms of Object.values(phaseMs)) expect(ms).toBeGreaterThanOrEqual(0);
    // The first epoch's steps ran the frozen layers on new texts (the second's are cached); every
    // step ran the tfjs passes and the update; a checkpoint was written every 2 of the 4 steps.
    for (const phase of ['frozenForward', 'forward', 'backward', 'optimizer', 'checkpoint'] as const)
      expect(phaseMs[phase]).toBeGreaterThan(0);
    // Phases nest without double counting, so they never exceed the step; what they miss is the
    // loop's own bookkeeping.
    const sum = Object.values(phaseMs).reduce((a, b) => a + b, 0);
    expect(sum).toBeLessThanOrEqual(msPerStep + 0.01);
    expect(sum).toBeGreaterThanOrEqual(msPerStep * 0.95);
  });

  it('writes version files whose ONNX model agrees with the tfjs block on the new weights', async () => {
    const versionDir = path.join(dir, 'v1');
    await trained.writeVersionFiles(versionDir);
    expect((await readdir(versionDir)).sort()).toEqual(['model.onnx', 'trainable.bin', 'trainable.json']);
    const published = await loadVersionEncoder(versionDir, 'v1');
    expect(published.version).toBe('v1');
    const texts = [...queries, '', positives[0] ?? ''];
    const onnx = await published.embedDocuments(texts);
    await published.close();
    const tfjs = await tfjsEmbeddings(texts, trained.trainable);
    tfjs.forEach((vector, i) => {
      const want = onnx[i] ?? new Float32Array();
      expect(maxAbsDiff(vector, want)).toBeLessThanOrEqual(MAX_ABS_DIFF);
      expect(cosine(vector, want)).toBeGreaterThanOrEqual(MIN_COSINE);
    });
    const candidate = await trained.encoder('candidate');
    const fromCandidate = await candidate.embedDocuments(texts);
    fromCandidate.forEach((vector, i) => expect(maxAbsDiff(vector, onnx[i] ?? new Float32Array())).toBe(0));
  });

  it('gives the same weights for the same inputs and seed, other weights for another seed', async () => {
    const options = testOptions({ steps: 1, batchSize: 2, learningRate: 1e-3, negativesPerPair: 0 });
    const first = await run(options);
    const tensorsBefore = tf.memory().numTensors;
    const second = await run(options);
    // A finished run leaves no tfjs tensors behind.
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    const otherSeed = await run({ ...options, seed: 8 });
    expect(largestWeightDiff(first.trainable, second.trainable)).toBe(0);
    expect(largestWeightDiff(first.trainable, otherSeed.trainable)).toBeGreaterThan(1e-6);
  });

  it('resumes a cancelled run from its last checkpoint to the weights of an uninterrupted run', async () => {
    const checkpointDir = path.join(dir, 'resumed');
    const cancelled = run(TRAINED, testContext(2), checkpointDir);
    await expect(cancelled).rejects.toMatchObject({ code: 'CANCELLED' });
    // No candidate came back, and nothing but the checkpoint was written.
    expect(await readdir(checkpointDir)).toEqual(['checkpoint.bin']);
    const resumed = await run(TRAINED, testContext(), checkpointDir);
    expect(resumed.report.resumedFromStep).toBe(2);
    expect(resumed.report.firstLoss).toBe(trained.report.firstLoss);
    expect(resumed.report.lastLoss).toBeCloseTo(trained.report.lastLoss, 5);
    expect(largestWeightDiff(resumed.trainable, trained.trainable)).toBeLessThanOrEqual(1e-6);
    // A finished run's checkpoint hands back the same weights without training again.
    const context = testContext();
    const again = await run(TRAINED, context, checkpointDir);
    expect(again.report.resumedFromStep).toBe(TRAINED.steps);
    expect(context.reports).toEqual([TRAINED.steps]);
    expect(largestWeightDiff(again.trainable, resumed.trainable)).toBe(0);
  });

  it('gives the full-batch result when a step runs in many small chunks', async () => {
    const chunked = createUseLiteTrainer({ cacheDir: path.join(dir, 'models'), threads: 1, chunkTokens: 32 });
    const candidate = await chunked.train(
      { from, pairs: TEST_PAIRS, options: TRAINED, checkpointDir: path.join(dir, 'chunked') },
      testContext(),
    );
    expect(candidate.report.firstLoss).toBeCloseTo(trained.report.firstLoss, 5);
    expect(candidate.report.lastLoss).toBeCloseTo(trained.report.lastLoss, 4);
    // Adam turns float rounding in near-zero gradients into visible weight changes, so compare outputs.
    const texts = [...queries, ...positives];
    const want = await (await trained.encoder()).embedDocuments(texts);
    const got = await (await candidate.encoder()).embedDocuments(texts);
    await candidate.close();
    got.forEach((vector, i) =>
      expect(maxAbsDiff(vector, want[i] ?? new Float32Array())).toBeLessThanOrEqual(1e-4),
    );
  });

  it('keeps new embeddings closer to the old ones with strong distillation', async () => {
    const texts = [...queries, ...positives];
    const old = await from.embedDocuments(texts);
    const closeness = async (weight: number): Promise<number> => {
      const candidate = await run(
        testOptions({ steps: 2, learningRate: 2e-3, negativesPerPair: 0, lq: weight, ld: weight }),
      );
      const now = await (await candidate.encoder()).embedDocuments(texts);
      await candidate.close();
      return (
        now.reduce((sum, vector, i) => sum + cosine(vector, old[i] ?? new Float32Array()), 0) / texts.length
      );
    };
    const withoutDistillation = await closeness(0);
    const withDistillation = await closeness(50);
    expect(withDistillation).toBeGreaterThan(withoutDistillation);
  });

  it('continues training from a published version', async () => {
    const published = await loadVersionEncoder(path.join(dir, 'v1'), 'v1');
    const next = await trainer.train(
      {
        from: published,
        pairs: TEST_PAIRS,
        options: testOptions({ steps: 1, learningRate: 1e-9 }),
        checkpointDir: path.join(dir, 'v2'),
      },
      testContext(),
    );
    await published.close();
    // A tiny learning rate: the result stays next to v1's weights, far from the pretrained ones.
    expect(largestWeightDiff(next.trainable, trained.trainable)).toBeLessThan(1e-5);
    expect(largestWeightDiff(next.trainable, (await sharedUseLiteParts()).pretrained)).toBeGreaterThan(1e-4);
    await expect(loadVersionEncoder(path.join(dir, 'missing'), 'v9')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('rejects unusable input with a coded error', async () => {
    const attempt = (options: TrainOptions, pairs = TEST_PAIRS) =>
      trainer.train({ from, pairs, options, checkpointDir: path.join(dir, 'bad') }, testContext());
    await expect(attempt(testOptions(), [])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(attempt(testOptions({ steps: 0 }))).rejects.toBeInstanceOf(DriftlessError);
    const other = { ...from, backboneId: 'all-MiniLM-L6-v2' } as Encoder;
    await expect(
      trainer.train(
        { from: other, pairs: TEST_PAIRS, options: testOptions(), checkpointDir: dir },
        testContext(),
      ),
    ).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });
});
