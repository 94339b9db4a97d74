import { describe, expect, it } from 'vitest';
import { DriftlessError } from '../base/index.ts';
import { evaluateRun, metricNames } from './evaluate.ts';
import { mrrAtK, ndcgAtK, recallAtK, topK } from './metrics.ts';

const graded = new Map([
  ['a', 3],
  ['b', 2],
  ['c', 1],
]);

describe('ndcgAtK', () => {
  it('uses graded gains, the log2 discount and the ideal order of all judged grades', () => {
    // DCG = 2/log2(2) + 0/log2(3) + 3/log2(4) = 3.5; IDCG = 3 + 2/log2(3) + 1/log2(4).
    expect(ndcgAtK(['b', 'x', 'a'], graded, 3)).toBeCloseTo(3.5 / (3 + 2 / Math.log2(3) + 0.5), 12);
    expect(ndcgAtK(['b', 'x', 'a'], graded, 1)).toBeCloseTo(2 / 3, 12);
    expect(ndcgAtK(['a', 'b', 'c'], graded, 3)).toBeCloseTo(1, 12);
  });

  it('counts relevant documents missing from a short list in the ideal when k exceeds the list', () => {
    const judged = new Map([
      ['a', 1],
      ['b', 1],
    ]);
    expect(ndcgAtK(['a'], judged, 10)).toBeCloseTo(1 / (1 + 1 / Math.log2(3)), 12);
  });

  it('keeps the order given for tied scores and counts a repeated id once', () => {
    const judged = new Map([['a', 1]]);
    expect(ndcgAtK(['x', 'a'], judged, 2)).toBeCloseTo(1 / Math.log2(3), 12);
    expect(ndcgAtK(['a', 'x'], judged, 2)).toBe(1);
    expect(topK(['a', 'a', 'b', 'c'], 2)).toEqual(['a', 'b']);
    expect(ndcgAtK(['x', 'x', 'a'], judged, 2)).toBeCloseTo(1 / Math.log2(3), 12);
  });

  it('treats grade 0 and negative grades as not relevant, and is undefined without relevant documents', () => {
    expect(ndcgAtK(['a'], new Map([['a', 0]]), 10)).toBeUndefined();
    expect(
      ndcgAtK(
        ['n', 'a'],
        new Map([
          ['a', 1],
          ['n', -1],
        ]),
        10,
      ),
    ).toBeCloseTo(1 / Math.log2(3), 12);
  });

  it('rejects a cutoff that is not a positive integer', () => {
    expect(() => ndcgAtK(['a'], graded, 0)).toThrow(DriftlessError);
    expect(() => recallAtK(['a'], graded, 2.5)).toThrow(/positive integer/);
  });
});

describe('recallAtK and mrrAtK', () => {
  it('computes recall over all relevant documents of the query', () => {
    expect(recallAtK(['a', 'x', 'c'], graded, 2)).toBeCloseTo(1 / 3, 12);
    expect(recallAtK(['a', 'x', 'c'], graded, 3)).toBeCloseTo(2 / 3, 12);
    expect(recallAtK(['a', 'x', 'c'], graded, 100)).toBeCloseTo(2 / 3, 12);
    expect(recallAtK(['a'], new Map([['a', 0]]), 10)).toBeUndefined();
  });

  it('computes the reciprocal rank of the first relevant document within k', () => {
    expect(mrrAtK(['x', 'y', 'c', 'a'], graded, 10)).toBeCloseTo(1 / 3, 12);
    expect(mrrAtK(['x', 'y', 'c'], graded, 2)).toBe(0);
    expect(mrrAtK([], graded, 10)).toBe(0);
    expect(mrrAtK(['a'], new Map(), 10)).toBeUndefined();
  });
});

describe('evaluateRun', () => {
  const qrels = new Map([
    ['q1', new Map([['a', 1]])],
    ['q2', new Map([['b', 1]])],
    ['q3', new Map([['c', 0]])],
  ]);

  it('averages over queries with a relevant document, scoring queries missing from the run as empty', () => {
    const result = evaluateRun(
      new Map([
        ['q1', ['a']],
        ['q3', ['c']],
        ['q9', ['a']],
      ]),
      qrels,
      {
        cutoffs: { mrr: [10], recall: [1] },
      },
    );
    expect(result.queries).toBe(2);
    expect(result.missingFromRun).toBe(1);
    expect(result.metrics).toEqual({ 'Recall@1': 0.5, 'MRR@10': 0.5 });
    expect(result.perQuery.get('q2')).toEqual({ 'Recall@1': 0, 'MRR@10': 0 });
    expect(result.perQuery.has('q3')).toBe(false);
  });

  it('removes the query itself from its ranking with excludeSelf', () => {
    const selfQrels = new Map([['q1', new Map([['d', 1]])]]);
    const run = new Map([['q1', ['q1', 'd']]]);
    expect(evaluateRun(run, selfQrels).metrics['MRR@10']).toBe(0.5);
    expect(evaluateRun(run, selfQrels, { excludeSelf: true }).metrics['MRR@10']).toBe(1);
  });

  it('reports the default metrics under stable names', () => {
    expect(metricNames()).toEqual(['nDCG@10', 'Recall@10', 'Recall@100', 'MRR@10']);
    expect(Object.keys(evaluateRun(new Map(), qrels).metrics)).toEqual(metricNames());
  });
});
