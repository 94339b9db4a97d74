import { describe, expect, it } from 'vitest';
import type { ScoredChunk } from '../store/index.ts';
import { calibratedMerge, rankMerge, rawCosineMerge, type VersionList } from './versionMerge.ts';

function chunk(id: string, score: number, encoderVersion: string): ScoredChunk {
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
    encoderVersion,
    score,
  };
}

const query = Float32Array.from([1, 0]);
/** v1: the current space, high cosines. v0: a compensated space, every cosine lower. */
const lists: VersionList[] = [
  { version: 'v1', queryVector: query, chunks: [chunk('new-a', 0.62, 'v1'), chunk('new-b', 0.6, 'v1')] },
  { version: 'v0', queryVector: query, chunks: [chunk('old-a', 0.55, 'v0'), chunk('old-b', 0.2, 'v0')] },
];
const ids = (chunks: ScoredChunk[]) => chunks.map((c) => c.id);

describe('version merge strategies', () => {
  it('raw cosine compares spaces as they are', async () => {
    expect(ids(await rawCosineMerge().merge(lists, 10))).toEqual(['new-a', 'new-b', 'old-a', 'old-b']);
  });

  it('rank merge interleaves by rank and breaks ties by cosine', async () => {
    const merged = await rankMerge(60).merge(lists, 3);
    expect(ids(merged)).toEqual(['new-a', 'old-a', 'new-b']);
    expect(merged[0]!.score).toBeCloseTo(1 / 61);
  });

  it('calibrated merge scores a hit by how far it stands out from its own space', async () => {
    // v1 documents all sit near 0.6 to this query; v0 documents near 0.1, so old-a stands out most.
    const background = new Map([
      ['v1', Array.from({ length: 10 }, (_, i) => Float32Array.from([0.58 + i * 0.004, 0.8]))],
      ['v0', Array.from({ length: 10 }, (_, i) => Float32Array.from([0.05 + i * 0.01, 0.99]))],
    ]);
    const merged = await calibratedMerge(async (version) => background.get(version)).merge(lists, 10);
    expect(ids(merged)[0]).toBe('old-a');
  });

  it('calibrated merge falls back to the list itself without a background sample', async () => {
    const merged = await calibratedMerge(async () => undefined).merge(lists, 10);
    expect(merged).toHaveLength(4);
    expect(merged.every((c) => Number.isFinite(c.score))).toBe(true);
  });
});
