import { describe, expect, it } from 'vitest';
import type { ScoredChunk } from '../store/index.ts';
import { minMaxScoreFusion, reciprocalRankFusion, weightedRankFusion, type RankedList } from './fusion.ts';

function chunk(id: string, score: number): ScoredChunk {
  return {
    id,
    chunkId: id,
    folderId: 'f',
    notePath: `${id}.md`,
    title: id,
    headingPath: [],
    text: id,
    tags: [],
    start: 0,
    end: 1,
    modifiedMs: 0,
    noteHash: 'h',
    encoderVersion: 'v0',
    score,
  };
}

describe('fusion', () => {
  it('RRF sums 1/(k+rank) over lists, so agreement beats one strong rank', () => {
    const fused = reciprocalRankFusion(60).fuse([
      { name: 'dense', chunks: [chunk('a', 0.9), chunk('b', 0.8)] },
      { name: 'text', chunks: [chunk('c', 12), chunk('b', 3)] },
    ]);
    expect(fused.map((entry) => entry.chunk.id)).toEqual(['b', 'a', 'c']);
    expect(fused[0]?.score).toBeCloseTo(2 / 62);
    expect(fused[1]?.score).toBeCloseTo(1 / 61);
  });

  it('min-max fusion uses score gaps', () => {
    const fused = minMaxScoreFusion().fuse([
      { name: 'dense', chunks: [chunk('a', 0.9), chunk('b', 0.89), chunk('c', 0.1)] },
      { name: 'text', chunks: [chunk('c', 10), chunk('a', 1)] },
    ]);
    expect(fused.map((entry) => [entry.chunk.id, Number(entry.score.toFixed(3))])).toEqual(
      [
        ['a', 1],
        ['b', 0.988],
        ['c', 1],
      ].sort((x, y) => Number(y[1]) - Number(x[1])),
    );
  });
});

describe('weightedRankFusion', () => {
  // Each list's top chunk appears in that list only, so the weights alone decide which leads.
  const lists: RankedList[] = [
    { name: 'dense', chunks: [chunk('a', 0.9), chunk('b', 0.5)] },
    { name: 'text', chunks: [chunk('c', 12), chunk('b', 3)] },
  ];
  const order = (weights: Record<string, number>) =>
    weightedRankFusion(weights, 60)
      .fuse(lists)
      .map((entry) => entry.chunk.id);

  it('scales each list by its weight: a down-weighted list loses its top rank to the other', () => {
    const fused = weightedRankFusion({ dense: 0.5 }, 60).fuse(lists);
    expect(fused.map((entry) => entry.chunk.id)).toEqual(['b', 'c', 'a']);
    expect(fused[0]?.score).toBeCloseTo(0.5 / 62 + 1 / 62);
    expect(fused[1]?.score).toBeCloseTo(1 / 61);
    expect(fused[2]?.score).toBeCloseTo(0.5 / 61);
    expect(order({ dense: 2 })).toEqual(['b', 'a', 'c']);
  });

  it('gives a list without a weight the weight 1, so all-ones weights are plain RRF', () => {
    const plain = reciprocalRankFusion(60).fuse(lists);
    const unnamed = weightedRankFusion({ title: 3 }, 60).fuse(lists);
    const ones = weightedRankFusion({ dense: 1, text: 1 }, 60).fuse(lists);
    expect(unnamed).toEqual(plain);
    expect(ones).toEqual(plain);
  });

  it('drops a list weighted 0 from the ranking without losing its chunks', () => {
    const fused = weightedRankFusion({ text: 0 }, 60).fuse(lists);
    expect(fused.map((entry) => entry.chunk.id)).toEqual(['a', 'b', 'c']);
    expect(fused[2]?.score).toBe(0);
  });

  it('names itself by k and its weights, so benchmark reports tell fusions apart', () => {
    expect(weightedRankFusion({ dense: 0.5, text: 2 }, 20).name).toBe('rrf-20(dense=0.5,text=2)');
  });
});
