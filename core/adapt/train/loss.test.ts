import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectTrainingBackend } from './backend.ts';
import { contrastiveLoss, type LossInputs } from './loss.ts';

/**
 * Two queries and two documents in 3-d. The new vectors agree with each other (each query's
 * positive is its own document), while the stored (teacher) vectors of the documents are swapped:
 * a new query that matches its new positive misses the positive's stored row.
 */
function inputs(lc: number): LossInputs {
  const unit = (rows: number[][]) =>
    tf.tensor2d(rows).div(tf.norm(tf.tensor2d(rows), 2, 1, true)) as tf.Tensor2D;
  return {
    queries: unit([
      [1, 0, 0.1],
      [0, 1, 0.1],
    ]),
    documents: unit([
      [1, 0, 0],
      [0, 1, 0],
    ]),
    teacherQueries: unit([
      [1, 0, 0.1],
      [0, 1, 0.1],
    ]),
    teacherDocuments: unit([
      [0, 1, 0],
      [1, 0, 0],
    ]),
    targets: tf.tensor2d([
      [1, 0],
      [0, 1],
    ]),
    exclusion: tf.zeros([2, 2]),
    temperature: 0.1,
    lq: 0,
    ld: 0,
    lc,
  };
}

const value = async (loss: tf.Scalar): Promise<number> => (await loss.data())[0] ?? NaN;

describe('contrastiveLoss', () => {
  beforeAll(async () => {
    await selectTrainingBackend();
  });

  it('adds nothing for compatibility at lc 0, and a large term when stored positives are missed', async () => {
    const off = await value(contrastiveLoss(inputs(0)));
    const on = await value(contrastiveLoss(inputs(1)));
    expect(off).toBeLessThan(0.01);
    // Each query scores its stored positive at cos 0 and a stored negative at cos ~1: about 10 nats.
    expect(on - off).toBeGreaterThan(5);
  });

  it('pulls the new query towards the stored vector of its positive', async () => {
    const base = inputs(1);
    const grad = tf.grad((q: tf.Tensor) => contrastiveLoss({ ...base, queries: q as tf.Tensor2D }))(
      base.queries,
    );
    const stepped = base.queries.sub(grad.mul(0.01));
    const towardStored = (q: tf.Tensor) =>
      q
        .mul(base.teacherDocuments)
        .sum(1)
        .div(tf.norm(q, 2, 1));
    const before = await towardStored(base.queries).data();
    const after = await towardStored(stepped).data();
    expect(after[0]).toBeGreaterThan((before[0] ?? 0) + 0.01);
    expect(after[1]).toBeGreaterThan((before[1] ?? 0) + 0.01);
  });

  it('does not count the positive’s own new vector as a negative', async () => {
    // Stored and new vectors equal: the only way to score the positive is the stored row, and the
    // new row of the same document must not compete with it.
    const same = { ...inputs(1), teacherDocuments: inputs(1).documents };
    const withCompat = await value(contrastiveLoss(same));
    const without = await value(contrastiveLoss({ ...same, lc: 0 }));
    // Against one stored and one new negative the term stays near the InfoNCE value, not log 2 more.
    expect(withCompat - without).toBeLessThan(0.1);
  });
});
