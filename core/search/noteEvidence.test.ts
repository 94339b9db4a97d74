import { describe, expect, it } from 'vitest';
import type { ScoredChunk } from '../store/index.ts';
import { reciprocalRankFusion } from './fusion.ts';
import { fuseNotes, noteList } from './noteEvidence.ts';

function chunk(note: string, id: string, score: number): ScoredChunk {
  return {
    id,
    chunkId: id,
    folderId: 'f',
    notePath: `${note}.md`,
    title: note,
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

describe('note evidence', () => {
  // A long note matches the query in three chunks, a short one slightly better in one.
  const text = {
    name: 'text',
    chunks: [chunk('short', 's1', 5), chunk('long', 'l1', 4), chunk('long', 'l2', 3), chunk('long', 'l3', 3)],
  };

  it('scores a note by its best chunk by default, and adds its other chunks with chunk evidence', () => {
    expect(noteList(text, { chunkEvidence: 0 }).chunks.map((c) => [c.notePath, c.score])).toEqual([
      ['short.md', 5],
      ['long.md', 4],
    ]);
    expect(noteList(text, { chunkEvidence: 0.5 }).chunks.map((c) => [c.notePath, c.score])).toEqual([
      ['long.md', 7],
      ['short.md', 5],
    ]);
  });

  it('never adds up dense similarities', () => {
    const dense = { name: 'dense', chunks: text.chunks };
    expect(noteList(dense, { chunkEvidence: 0.5 }).chunks[0]?.notePath).toBe('short.md');
  });

  it('fuses a note found through different chunks in each list, keeping its real chunks', () => {
    const dense = { name: 'dense', chunks: [chunk('long', 'l3', 0.9), chunk('short', 's1', 0.2)] };
    const groups = fuseNotes([dense, text], reciprocalRankFusion(), { chunkEvidence: 0 });
    expect(groups.map((g) => g.best.notePath)).toEqual(['long.md', 'short.md']);
    const long = groups[0]!;
    expect(long.best.id).toBe('l3');
    expect(long.chunks.map((c) => c.id).sort()).toEqual(['l1', 'l2', 'l3']);
    expect(long.score).toBeCloseTo(1 / 61 + 1 / 62);
  });
});
