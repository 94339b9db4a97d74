import { DriftlessError } from '../base/index.ts';
import type { EmbeddingPairs } from './types.ts';

/** The fewest pairs the fitter accepts: two to train on and two to validate with. */
export const MIN_PAIRS = 4;

/**
 * Checks that pairs are index-aligned, of one dimension, finite and numerous enough; returns dims.
 * @throws DriftlessError INVALID_ARGUMENT otherwise.
 */
export function checkPairs(pairs: EmbeddingPairs): number {
  const { newVecs, oldVecs } = pairs;
  if (newVecs.length !== oldVecs.length) {
    throw new DriftlessError(
      'INVALID_ARGUMENT',
      `Got ${newVecs.length} new vectors but ${oldVecs.length} old ones.`,
    );
  }
  if (newVecs.length < MIN_PAIRS) {
    throw new DriftlessError(
      'INVALID_ARGUMENT',
      `Need at least ${MIN_PAIRS} pairs to fit, got ${newVecs.length}.`,
    );
  }
  const dims = newVecs[0]!.length;
  if (dims < 2) throw new DriftlessError('INVALID_ARGUMENT', 'Vectors need at least two dimensions.');
  for (const [side, vectors] of [['new', newVecs] as const, ['old', oldVecs] as const]) {
    vectors.forEach((vector, i) => {
      if (vector.length !== dims) {
        throw new DriftlessError(
          'INVALID_ARGUMENT',
          `${side} vector ${i} has ${vector.length} dims, expected ${dims}.`,
        );
      }
      if (!vector.every(Number.isFinite)) {
        throw new DriftlessError('INVALID_ARGUMENT', `${side} vector ${i} holds a non-finite value.`);
      }
    });
  }
  return dims;
}
