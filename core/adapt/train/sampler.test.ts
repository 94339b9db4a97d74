import { describe, expect, it } from 'vitest';
import type { TrainingPair } from '../types.ts';
import { PairSampler } from './sampler.ts';

const pair = (i: number, negatives: string[] = []): TrainingPair => ({
  query: `q${i}`,
  positive: `d${i}`,
  negatives,
  source: 'qrels',
});

describe('PairSampler', () => {
  const pairs = Array.from({ length: 5 }, (_, i) => pair(i, [`n${i}a`, `n${i}b`, `n${i}c`]));

  it('visits every pair once per epoch and caps hard negatives per pair', () => {
    const sampler = new PairSampler(pairs, 5, 2, { seed: 1 });
    const batch = sampler.next();
    expect([...batch.queries].sort()).toEqual(['q0', 'q1', 'q2', 'q3', 'q4']);
    expect(batch.documents).toHaveLength(5 + 5 * 2);
    batch.queries.forEach((q, i) => expect(batch.documents[batch.labels[i] ?? -1]).toBe(q.replace('q', 'd')));
  });

  it('draws the same batches from the same seed, and continues identically from a saved state', () => {
    const a = new PairSampler(pairs, 2, 1, { seed: 3 });
    const b = new PairSampler(pairs, 2, 1, { seed: 3 });
    a.next();
    b.next();
    const resumed = new PairSampler(pairs, 2, 1, b.state);
    for (let i = 0; i < 6; i++) {
      const next = a.next();
      expect(b.next()).toEqual(next);
      expect(resumed.next()).toEqual(next);
    }
    const other = new PairSampler(pairs, 2, 1, { seed: 4 });
    const firstBatches = (s: PairSampler): string[] => [0, 1, 2].flatMap(() => s.next().queries);
    expect(firstBatches(other)).not.toEqual(firstBatches(new PairSampler(pairs, 2, 1, { seed: 3 })));
  });

  it('never uses a copy of the positive as a negative of its query', () => {
    const shared = [pair(0), { ...pair(1), positive: 'd0' }, pair(2, ['d2', 'd0'])];
    const batch = new PairSampler(shared, 3, 2, { seed: 1 }).next();
    expect(new Set(batch.documents).size).toBe(batch.documents.length);
    batch.queries.forEach((q, i) => {
      const label = batch.labels[i] ?? -1;
      expect(batch.excluded[i]).not.toContain(label);
      // A document equal to the query's positive is its label, never a negative.
      if (q === 'q2') expect(batch.documents[label]).toBe('d2');
    });
    expect(batch.labels[batch.queries.indexOf('q0')]).toBe(batch.labels[batch.queries.indexOf('q1')]);
  });

  it('never uses another answer to the same question as its negative', () => {
    const manyAnswers = [pair(0), { ...pair(1), query: 'q0' }, pair(2)];
    const batch = new PairSampler(manyAnswers, 3, 0, { seed: 1 }).next();
    const at = (text: string) => batch.documents.indexOf(text);
    batch.queries.forEach((q, i) => {
      const own = batch.documents[batch.labels[i]!];
      if (q === 'q0') expect(batch.excluded[i]).toEqual([at(own === 'd0' ? 'd1' : 'd0')]);
      else expect(batch.excluded[i]).toEqual([]);
    });
  });

  it('uses every pair when there are fewer pairs than the batch size', () => {
    const batch = new PairSampler(pairs.slice(0, 2), 8, 0, { seed: 1 }).next();
    expect([...batch.queries].sort()).toEqual(['q0', 'q1']);
    expect(batch.documents.sort()).toEqual(['d0', 'd1']);
  });
});
