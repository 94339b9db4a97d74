import { describe, expect, it } from 'vitest';
import { pickKind } from './pickKind.ts';
import { compatibilityScores } from './scoring.ts';
import type { KindSelection } from './selectionContext.ts';
import type { FittedKind } from './types.ts';

describe('compatibilityScores', () => {
  const actual = Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]);

  it('gives perfect scores to exact (even rescaled) predictions', () => {
    const scores = compatibilityScores(
      actual.map((value) => value * 3),
      actual,
      3,
      3,
    );
    expect(scores).toEqual({ meanCosine: 1, recallAt1: 1, recallAt10: 1, mrr: 1, pairs: 3 });
  });

  it('ranks the own partner among all held-out old vectors', () => {
    // Row 0 points at old vector 1, row 1 at old vector 0, row 2 is right.
    const predicted = Float64Array.from([0.1, 1, 0, 1, 0.1, 0, 0, 0, 1]);
    const scores = compatibilityScores(predicted, actual, 3, 3);
    expect(scores.recallAt1).toBeCloseTo(1 / 3, 12);
    expect(scores.recallAt10).toBe(1);
    expect(scores.mrr).toBeCloseTo((0.5 + 0.5 + 1) / 3, 12);
    expect(scores.meanCosine).toBeCloseTo((0.1 / Math.hypot(1, 0.1)) * (2 / 3) + 1 / 3, 12);
  });
});

describe('pickKind', () => {
  const selection = (mrr: number, meanCosine: number): KindSelection => ({
    scores: { mrr, meanCosine, recallAt1: mrr, recallAt10: 1, pairs: 100 },
    hyper: {},
  });

  it('prefers the simpler kind when scores are practically tied', () => {
    const tied = new Map<FittedKind, KindSelection>([
      ['linear', selection(1, 0.99995)],
      ['procrustes', selection(1, 0.999949)],
      ['mean', selection(0.9, 0.99)],
    ]);
    expect(pickKind(tied)).toBe('procrustes');
  });

  it('takes the more complex kind when its cosine error is clearly smaller', () => {
    const apart = new Map<FittedKind, KindSelection>([
      ['procrustes', selection(1, 0.999)],
      ['lowrank', selection(1, 0.99995)],
    ]);
    expect(pickKind(apart)).toBe('lowrank');
  });
});
