import * as tf from '@tensorflow/tfjs';
import type { TokenStates } from './frozenFeatures.ts';

/** Token states of several texts as one zero-padded tensor [batch, seq, width] and its mask [batch, seq]. */
export function tokenBatch(
  rows: readonly TokenStates[],
  width: number,
): { states: tf.Tensor3D; mask: tf.Tensor2D } {
  const seq = Math.max(1, ...rows.map((row) => row.tokens));
  const states = new Float32Array(rows.length * seq * width);
  const mask = new Float32Array(rows.length * seq);
  rows.forEach((row, r) => {
    states.set(row.data.subarray(0, row.tokens * width), r * seq * width);
    mask.fill(1, r * seq, r * seq + row.tokens);
  });
  return {
    states: tf.tensor3d(states, [rows.length, seq, width]),
    mask: tf.tensor2d(mask, [rows.length, seq]),
  };
}
