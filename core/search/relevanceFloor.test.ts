import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NoteIndex, type ScoredChunk } from '../store/index.ts';
import { DISTINCT_TOPICS, FeatureHashingEncoder, makeNoteWrites, makeTempDir } from '../testing/index.ts';
import { MeasuredFloors } from './floorCache.ts';
import { measureFloorSample } from './floorSample.ts';
import { noteKeyOf, type NoteGroup } from './grouping.ts';
import { floorsFrom, quantile, relatedFloor, relevanceFloor, splitByRelevance } from './relevanceFloor.ts';
import { searchNotes } from './searchNotes.ts';

describe('relevanceFloor', () => {
  const self = [0.5, 0.6, 0.7, 0.8, 0.55, 0.65, 0.75, 0.85];

  it('lets only the top 1% of random pairs through', () => {
    const random = Array.from({ length: 101 }, (_, i) => i / 400);
    expect(relevanceFloor({ self, random })).toBeCloseTo(0.2475, 5);
  });

  it('never rises above the median self pair', () => {
    expect(relevanceFloor({ self, random: [0.9, 0.95] })).toBeCloseTo(quantile(self, 0.5), 5);
  });

  it('sets no floor from too few pairs', () => {
    expect(relevanceFloor({ self: self.slice(0, 7), random: [0.1] })).toBeUndefined();
    expect(relevanceFloor({ self, random: [] })).toBeUndefined();
    expect(floorsFrom({ self, random: [] })).toBeUndefined();
  });

  it('shows as related only what is closer than 90% of random pairs', () => {
    const random = Array.from({ length: 11 }, (_, i) => i / 20);
    expect(relatedFloor({ self, random })).toBeCloseTo(0.45, 5);
    expect(floorsFrom({ self, random })).toEqual({
      match: expect.closeTo(0.495, 5),
      related: expect.closeTo(0.45, 5),
    });
  });
});

const group = (notePath: string, tier = 0): NoteGroup => {
  const chunk = { folderId: 'f', notePath } as ScoredChunk;
  return { best: chunk, chunks: [chunk], score: 1, tier };
};

describe('splitByRelevance', () => {
  it('keeps word, boosted and close notes as matches, in order, loose ones related, the rest out', () => {
    const groups = [
      group('close.md'),
      group('loose.md'),
      group('words.md'),
      group('title.md', 1),
      group('chance.md'),
    ];
    const key = (notePath: string) => noteKeyOf({ folderId: 'f', notePath });
    const { matches, related } = splitByRelevance(
      groups,
      {
        textNotes: new Set([key('words.md')]),
        bestCosine: new Map([
          [key('close.md'), 0.5],
          [key('loose.md'), 0.2],
          [key('chance.md'), 0.05],
          [key('title.md'), 0.1],
        ]),
      },
      { match: 0.4, related: 0.1 },
    );
    expect(matches.map((g) => g.best.notePath)).toEqual(['close.md', 'words.md', 'title.md']);
    expect(related.map((g) => g.best.notePath)).toEqual(['loose.md']);
  });
});

describe('a floor measured on the notes themselves', () => {
  const encoder = new FeatureHashingEncoder({ dimensions: 4096 });
  let temp: Awaited<ReturnType<typeof makeTempDir>>;
  let index: NoteIndex;

  beforeAll(async () => {
    temp = await makeTempDir();
    index = await NoteIndex.open(temp.dir, { dimensions: 4096 });
    const notes = DISTINCT_TOPICS.map((words, t) => ({
      notePath: `topic${t}/note.md`,
      title: `Note ${t}`,
      sections: [words],
    }));
    await index.writeNotes(await makeNoteWrites(encoder, notes));
  });
  afterAll(async () => {
    await index.close();
    await temp.remove();
  });

  it('separates self pairs from random pairs', async () => {
    const sample = await measureFloorSample(index, encoder, { queries: 10, randomPerQuery: 9 });
    expect(sample.self.length).toBeGreaterThanOrEqual(8);
    expect(quantile(sample.self, 0.5)).toBeGreaterThan(quantile(sample.random, 0.99));
    const floor = relevanceFloor(sample);
    expect(floor).toBeDefined();
    expect(floor!).toBeLessThan(quantile(sample.self, 0.5) + 1e-9);
  });

  it('shows a nonsense query no results, and a meaningful one its topic', async () => {
    const floors = floorsFrom(await measureFloorSample(index, encoder));
    expect(floors).toBeDefined();
    const request = { query: 'zzzzqqqxxy', limit: 30 };
    const unfloored = await searchNotes(index, encoder, request);
    expect(unfloored.hits.length).toBeGreaterThan(0);
    const nonsense = await searchNotes(index, encoder, request, { relevanceFloors: floors! });
    expect(nonsense.hits).toEqual([]);
    expect(nonsense.related).toEqual([]);

    const dense = await searchNotes(
      index,
      encoder,
      { query: 'crema roast grinder', mode: 'dense', limit: 30 },
      { relevanceFloors: floors! },
    );
    expect(new Set(dense.hits.map((hit) => hit.notePath.split('/')[0]))).toEqual(new Set(['topic2']));
    expect(dense.related.every((hit) => !hit.notePath.startsWith('topic2/'))).toBe(true);
  });

  it('keeps the floors of a version, and has none for a version without rows', async () => {
    const floors = new MeasuredFloors();
    const measured = await floors.floorsFor(index, encoder);
    expect(measured).toEqual(floorsFrom(await measureFloorSample(index, encoder)));
    expect(await floors.floorsFor(index, encoder)).toBe(measured);
    const newer = new FeatureHashingEncoder({ dimensions: 4096, version: 'v1' });
    expect(await floors.floorsFor(index, newer)).toBeUndefined();
  });
});

describe('the sample a floor is measured on', () => {
  it('takes at most two chunks of a note, so one long note does not make most of the pairs', async () => {
    const encoder = new FeatureHashingEncoder({ dimensions: 512 });
    const temp = await makeTempDir();
    const index = await NoteIndex.open(temp.dir, { dimensions: 512 });
    try {
      const topics = DISTINCT_TOPICS.map((words, t) => ({ notePath: `topic${t}.md`, sections: [words] }));
      const log = Array.from({ length: 120 }, (_, i) => `ledger row ${i} wombat tally column entry`);
      await index.writeNotes(
        await makeNoteWrites(encoder, [...topics, { notePath: 'ledger.md', sections: log }]),
      );
      const queries: string[] = [];
      const counting = Object.assign(Object.create(encoder) as FeatureHashingEncoder, {
        embedQueries: (texts: string[]) => (queries.push(...texts), encoder.embedQueries(texts)),
      });
      await measureFloorSample(index, counting, { queries: 12 });
      // 120 of the 130 chunks are the ledger's: a uniform sample of rows would be mostly ledger.
      const fromLedger = queries.filter((query) => /ledger|wombat|tally|column|entry|row/.test(query));
      expect(fromLedger.length).toBeLessThanOrEqual(2);
      expect(queries.length - fromLedger.length).toBeGreaterThanOrEqual(2);
    } finally {
      await index.close();
      await temp.remove();
    }
  });
});
