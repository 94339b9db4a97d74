import { describe, expect, it } from 'vitest';
import type { ScoredChunk } from '../store/index.ts';
import {
  calibratedMerge,
  forwardMerge,
  rankMerge,
  rawCosineMerge,
  type ForwardScoring,
  type VersionList,
} from './versionMerge.ts';

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
    expect(ids(await rawCosineMerge().merge(lists, 10, query))).toEqual(['new-a', 'new-b', 'old-a', 'old-b']);
  });

  it('rank merge interleaves by rank and breaks ties by cosine', async () => {
    const merged = await rankMerge(60).merge(lists, 3, query);
    expect(ids(merged)).toEqual(['new-a', 'old-a', 'new-b']);
    expect(merged[0]!.score).toBeCloseTo(1 / 61);
  });

  it('calibrated merge scores a hit by how far it stands out from its own space', async () => {
    // v1 documents all sit near 0.6 to this query; v0 documents near 0.1, so old-a stands out most.
    const background = new Map([
      ['v1', Array.from({ length: 10 }, (_, i) => Float32Array.from([0.58 + i * 0.004, 0.8]))],
      ['v0', Array.from({ length: 10 }, (_, i) => Float32Array.from([0.05 + i * 0.01, 0.99]))],
    ]);
    const merged = await calibratedMerge(async (version) => background.get(version)).merge(lists, 10, query);
    expect(ids(merged)[0]).toBe('old-a');
  });

  it('calibrated merge falls back to the list itself without a background sample', async () => {
    const merged = await calibratedMerge(async () => undefined).merge(lists, 10, query);
    expect(merged).toHaveLength(4);
    expect(merged.every((c) => Number.isFinite(c.score))).toBe(true);
  });

  it('forward merge rescores old rows in the current space, so a segment wins only what it deserves', async () => {
    // v0's stored vectors live in a space rotated by 90 degrees: its map rotates them back.
    const stored = new Map([
      ['old-a', Float32Array.from([0, 1])], // maps to [1, 0]: the best match of all
      ['old-b', Float32Array.from([1, 0])], // maps to [0, -1]: orthogonal to the query
    ]);
    const scoring: ForwardScoring = {
      forwardFor: (version) =>
        version === 'v0'
          ? { scoreCandidates: (q, rows) => rows.map(({ stored: d }) => q[0]! * d[1]! + q[1]! * -d[0]!) }
          : undefined,
      storedVectors: async (ids) => new Map(ids.map((id) => [id, stored.get(id)!])),
    };
    const merged = await forwardMerge(scoring).merge(lists, 10, query);
    expect(ids(merged)).toEqual(['old-a', 'new-a', 'new-b', 'old-b']);
    expect(merged[0]!.score).toBeCloseTo(1);
    // Rank fusion would have given old-b, a miss, the third slot on rank alone.
    expect(ids(await rankMerge(60).merge(lists, 10, query)).indexOf('old-b')).toBe(3);
  });

  it('forward merge falls back to rank fusion while two segments have no map', async () => {
    const scoring: ForwardScoring = { forwardFor: () => undefined, storedVectors: async () => new Map() };
    const merged = await forwardMerge(scoring).merge(lists, 3, query);
    expect(ids(merged)).toEqual(['new-a', 'old-a', 'new-b']);
  });
});
