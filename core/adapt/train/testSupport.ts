import * as tf from '@tensorflow/tfjs';
import { DriftlessError } from '../../base/index.ts';
import type { TrainableWeights } from '../../encoder/index.ts';
import type { JobContext } from '../../jobs/index.ts';
import type { TrainingPair, TrainOptions } from '../types.ts';
import { sharedTokenizer, sharedUseLiteParts } from './assets.ts';
import { FrozenFeatures } from './frozenFeatures.ts';
import { buildFrozenOnnx } from './frozenModel.ts';
import { tokenBatch } from './tokenBatch.ts';
import { TrainableBlock } from './trainableBlock.ts';

/** The encoder's vector comparisons, shared with its parity tests. */
export { cosine, maxAbsDiff } from '../../encoder/useLite/testTexts.ts';

/** Shared by this folder's tests: small pairs, options and contexts. Not part of the public surface. */

export const TEST_PAIRS: TrainingPair[] = [
  {
    query: 'how do plants make food',
    positive: 'Photosynthesis turns light, water and carbon dioxide into sugar inside leaves.',
    negatives: ['The stock market fell sharply on Tuesday.'],
    source: 'qrels',
  },
  {
    query: 'fix a flat bicycle tyre',
    positive: 'Remove the wheel, find the puncture, patch the inner tube and pump it up again.',
    negatives: ['Mount Everest is the highest mountain above sea level.'],
    source: 'qrels',
  },
  {
    query: 'sourdough starter feeding schedule',
    positive: 'Feed the starter equal weights of flour and water every twelve hours at room temperature.',
    negatives: ['Jupiter has dozens of moons, the largest being Ganymede.'],
    source: 'qrels',
  },
  {
    query: 'rust borrow checker error',
    positive: 'The compiler rejects a mutable borrow while an immutable reference is still alive.',
    negatives: ['A sonnet has fourteen lines and a fixed rhyme scheme.'],
    source: 'qrels',
  },
];

export function testOptions(overrides: Partial<TrainOptions> = {}): TrainOptions {
  return {
    steps: 4,
    batchSize: 4,
    negativesPerPair: 1,
    temperature: 0.05,
    lq: 0,
    ld: 0,
    learningRate: 1e-4,
    weightDecay: 0.01,
    warmupSteps: 1,
    clipNorm: 1,
    seed: 7,
    ...overrides,
  };
}

/** A context that cancels when `cancelAtStep` progress reports have arrived (never when undefined). */
export function testContext(cancelAtStep?: number): JobContext & { reports: number[] } {
  const controller = new AbortController();
  const reports: number[] = [];
  return {
    signal: controller.signal,
    reports,
    report: (progress) => {
      reports.push(progress.done);
      if (cancelAtStep !== undefined && progress.done >= cancelAtStep) controller.abort();
    },
    checkpoint: () =>
      controller.signal.aborted
        ? Promise.reject(new DriftlessError('CANCELLED', 'The operation was cancelled.'))
        : Promise.resolve(),
  };
}

/** Embeddings of `texts` by the tfjs trainable block with `weights`, over frozen states from onnxruntime. */
export async function tfjsEmbeddings(
  texts: readonly string[],
  weights: TrainableWeights,
): Promise<Float32Array[]> {
  const parts = await sharedUseLiteParts();
  const features = await FrozenFeatures.open(buildFrozenOnnx(parts.frozen), await sharedTokenizer(), 1);
  const block = TrainableBlock.fromWeights(weights);
  try {
    const { states, mask } = tokenBatch(await features.statesOf(texts), features.width);
    const embedded = block.embed(states, mask);
    const data = (await embedded.data()) as Float32Array;
    tf.dispose([states, mask, embedded]);
    return texts.map((_, i) => data.slice(i * 512, (i + 1) * 512));
  } finally {
    block.dispose();
    await features.close();
  }
}
