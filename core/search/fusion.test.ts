import { describe, expect, it } from 'vitest';
import type { ScoredChunk } from '../store/index.ts';
import { minMaxScoreFusion, reciprocalRankFusion } from './fusion.ts';

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
