import * as tf from '@tensorflow/tfjs';
import { matMul } from './matMul.ts';

/** Everything the loss of one step reads; embeddings are unit-norm rows. */
export interface LossInputs {
  readonly queries: tf.Tensor2D;
  readonly documents: tf.Tensor2D;
  /** The previous version's (frozen teacher's) embeddings of the same texts. */
  readonly teacherQueries: tf.Tensor2D;
  readonly teacherDocuments: tf.Tensor2D;
  /** [queries, documents]: 1 at each query's positive. */
  readonly targets: tf.Tensor2D;
  /** [queries, documents]: 0, or a large negative value at documents that are not negatives of the query. */
  readonly exclusion: tf.Tensor2D;
  readonly temperature: number;
  readonly lq: number;
  readonly ld: number;
}

/**
 * InfoNCE over in-batch and hard negatives plus embedding distillation on both sides:
 * `L = CE(q·d / T) + lq * mean(1 - cos(q, q_old)) + ld * mean(1 - cos(d, d_old))`.
 */
export function contrastiveLoss(inputs: LossInputs): tf.Scalar {
  const logits = matMul(inputs.queries, tf.transpose(inputs.documents))
    .div(inputs.temperature)
    .add(inputs.exclusion);
  const infoNce = tf.logSoftmax(logits, -1).mul(inputs.targets).sum(1).mean().neg();
  const drift = (now: tf.Tensor2D, before: tf.Tensor2D): tf.Scalar =>
    tf.sub(1, now.mul(before).sum(1)).mean();
  return infoNce
    .add(drift(inputs.queries, inputs.teacherQueries).mul(inputs.lq))
    .add(drift(inputs.documents, inputs.teacherDocuments).mul(inputs.ld)) as tf.Scalar;
}

/** Additive mask value that removes a candidate from the softmax without producing NaN. */
export const EXCLUDED_LOGIT = -1e9;
