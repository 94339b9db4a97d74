import * as tf from '@tensorflow/tfjs';

/** Swaps the last two axes of a rank-2 or rank-4 tensor (an explicit copy). */
function swapLast(t: tf.Tensor): tf.Tensor {
  return t.rank === 2 ? tf.transpose(t) : tf.transpose(t, [0, 1, 3, 2]);
}

const matMulWithPlainGradients = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [a, b, save] = inputs as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [x, y] = saved as [tf.Tensor, tf.Tensor];
      return [tf.matMul(dy, swapLast(y)), tf.matMul(swapLast(x), dy)];
    },
  };
});

/**
 * a @ b (rank 2, or rank 4 batched over the first two axes) whose gradients transpose explicitly.
 * The wasm backend runs matMul with a transpose flag about 10-20x slower than a transpose copy
 * followed by a plain matMul, and tfjs' own matMul gradient uses the flags.
 */
export function matMul<T extends tf.Tensor>(a: T, b: T): T {
  return matMulWithPlainGradients(a, b) as T;
}
