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
  /** Weight of the compatibility term; 0 leaves it out. */
  readonly lc: number;
}

/**
 * InfoNCE over in-batch and hard negatives plus embedding distillation on both sides:
 * `L = CE(q·d / T) + lq * mean(1 - cos(q, q_old)) + ld * mean(1 - cos(d, d_old)) + lc * compat`.
 */
export function contrastiveLoss(inputs: LossInputs): tf.Scalar {
  const logits = scaled(inputs, inputs.documents).add(inputs.exclusion);
  const drift = (now: tf.Tensor2D, before: tf.Tensor2D): tf.Scalar =>
    tf.sub(1, now.mul(before).sum(1)).mean();
  const loss = crossEntropy(logits, inputs.targets)
    .add(drift(inputs.queries, inputs.teacherQueries).mul(inputs.lq))
    .add(drift(inputs.documents, inputs.teacherDocuments).mul(inputs.ld));
  return (inputs.lc > 0 ? loss.add(compatibility(inputs).mul(inputs.lc)) : loss) as tf.Scalar;
}

/**
 * The compatibility term of RACT (Zhang et al., ICLR 2022): the new query must rank the previous
 * version's vector of its positive, the vector the index already stores, above the previous
 * version's vectors of the negatives and above the new vectors of all documents but its positive.
 * It asks nothing of the encoder at query time, and it is what lets a new version's query read old
 * rows before they are re-embedded.
 */
function compatibility(inputs: LossInputs): tf.Scalar {
  const stored = scaled(inputs, inputs.teacherDocuments).add(inputs.exclusion);
  const fresh = scaled(inputs, inputs.documents)
    .add(inputs.exclusion)
    .add(inputs.targets.mul(EXCLUDED_LOGIT));
  const targets = tf.concat([inputs.targets, tf.zerosLike(inputs.targets)], 1);
  return crossEntropy(tf.concat([stored, fresh], 1), targets);
}

function scaled(inputs: LossInputs, documents: tf.Tensor2D): tf.Tensor {
  return matMul(inputs.queries, tf.transpose(documents)).div(inputs.temperature);
}

function crossEntropy(logits: tf.Tensor, targets: tf.Tensor): tf.Scalar {
  return tf.logSoftmax(logits, -1).mul(targets).sum(1).mean().neg() as tf.Scalar;
}

/** Additive mask value that removes a candidate from the softmax without producing NaN. */
export const EXCLUDED_LOGIT = -1e9;
