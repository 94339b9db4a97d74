import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AdamW } from './adamw.ts';
import { selectTrainingBackend } from './backend.ts';

describe('AdamW', () => {
  beforeAll(async () => {
    await selectTrainingBackend();
  });

  const setup = (clipNorm: number, warmupSteps = 1) => {
    const matrix = tf.variable(tf.tensor2d([[1, -2]]), true);
    const bias = tf.variable(tf.tensor1d([0.5]), true);
    const variables = new Map<string, tf.Variable>([
      ['matrix', matrix],
      ['bias', bias],
    ]);
    const optimizer = new AdamW(variables, { learningRate: 0.1, weightDecay: 0.5, warmupSteps, clipNorm });
    return { matrix, bias, optimizer };
  };

  it('takes a sign step of the learning rate, decays only matrices, decoupled from the gradient', async () => {
    const { matrix, bias, optimizer } = setup(0);
    optimizer.apply({ matrix: tf.tensor2d([[3, -4]]), bias: tf.tensor1d([0.01]) });
    // First Adam step: m/sqrt(v) = sign(g). Decay adds lr * wd * w to matrices only.
    const m = await matrix.data();
    expect(m[0]).toBeCloseTo(1 - 0.1 * (1 + 0.5 * 1), 5);
    expect(m[1]).toBeCloseTo(-2 - 0.1 * (-1 + 0.5 * -2), 5);
    expect((await bias.data())[0]).toBeCloseTo(0.5 - 0.1, 5);
  });

  it('scales gradients by the global norm limit and warms the learning rate up linearly', async () => {
    const { matrix, optimizer } = setup(1, 4);
    expect(optimizer.currentLearningRate).toBeCloseTo(0.025, 8);
    optimizer.apply({ matrix: tf.tensor2d([[3, -4]]), bias: tf.tensor1d([0]) });
    expect(optimizer.currentLearningRate).toBeCloseTo(0.05, 8);
    const state = await optimizer.state();
    // Global norm 5 clipped to 1: the first moment is (1 - beta1) * g / 5.
    expect(Array.from(state.m.get('matrix') ?? [])).toEqual([
      expect.closeTo(0.06, 6),
      expect.closeTo(-0.08, 6),
    ]);
    expect(state.step).toBe(1);
    const restored = new AdamW(
      new Map([['matrix', matrix]]),
      { learningRate: 0.1, weightDecay: 0, warmupSteps: 4, clipNorm: 1 },
      state,
    );
    expect(restored.currentLearningRate).toBeCloseTo(0.05, 8);
    expect(Array.from((await restored.state()).v.get('matrix') ?? [])).toEqual(
      Array.from(state.v.get('matrix') ?? []),
    );
  });
});
