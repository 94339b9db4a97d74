import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NoteIndex } from '../store/index.ts';
import { FeatureHashingEncoder, makeNoteWrite, makeNoteWrites, makeTempDir } from '../testing/index.ts';
import { searchNotes } from './searchNotes.ts';
import type { SearchRequest } from './types.ts';

const encoder = new FeatureHashingEncoder({ dimensions: 64 });
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let index: NoteIndex;

beforeAll(async () => {
  temp = await makeTempDir();
  index = await NoteIndex.open(temp.dir, { dimensions: 64 });
  await index.writeNotes(
    await makeNoteWrites(encoder, [
      {
        notePath: 'garden/tomatoes.md',
        title: 'Growing tomatoes',
        sections: [
          {
            heading: ['Soil'],
            text: 'Tomatoes like warm soil and compost. Water the tomatoes often in summer.',
          },
          { heading: ['Pests'], text: 'Aphids attack tomato plants; spray soapy water on the tomatoes.' },
          {
            heading: ['Harvest'],
            text: 'Pick tomatoes when they are red. Tomatoes ripen on the windowsill.',
          },
        ],
        tags: ['garden'],
        modifiedMs: 3000,
      },
      {
        notePath: 'garden/compost.md',
        title: 'Compost',
        sections: ['Compost needs green and brown material, water and air. Turn the compost heap weekly.'],
        tags: ['garden'],
        modifiedMs: 2000,
      },
      {
        notePath: 'work/meeting.md',
        title: 'Weekly meeting',
        sections: ['We discussed the budget. The tomatoes in the office kitchen were mentioned once.'],
        tags: ['work'],
        modifiedMs: 1000,
      },
      {
        notePath: 'work/water.md',
        title: 'Water',
        sections: ['Short note.'],
        modifiedMs: 500,
      },
      {
        notePath: 'recipes/sauce.md',
        title: 'Sauce',
        sections: ['Cook tomatoes slowly with garlic. A quick red sauce keeps for a week in the fridge.'],
        tags: ['food'],
        modifiedMs: 4000,
      },
    ]),
  );
});

afterAll(async () => {
  await index.close();
  await temp.remove();
});

const search = (request: SearchRequest) => searchNotes(index, encoder, request);
const paths = (result: { hits: Array<{ notePath: string }> }) => result.hits.map((hit) => hit.notePath);

describe('searchNotes', () => {
  it('groups chunks by note with the best chunk first and counts the rest', async () => {
    const result = await search({ query: 'tomatoes' });
    expect(new Set(paths(result)).size).toBe(result.hits.length);
    const tomatoes = result.hits.find((hit) => hit.notePath === 'garden/tomatoes.md');
    expect(tomatoes?.moreChunks).toBe(2);
    expect(result.versionsSearched).toEqual(['v0']);
    expect(result.hits.map((hit) => hit.score)).toEqual(
      [...result.hits.map((hit) => hit.score)].sort((a, b) => b - a),
    );
  });

  it('ranks an exact title match first, ignoring case', async () => {
    const result = await search({ query: 'water' });
    expect(paths(result)[0]).toBe('work/water.md');
    expect(paths(result)).toContain('garden/compost.md');
    expect(paths(await search({ query: 'COMPOST' }))[0]).toBe('garden/compost.md');
  });

  it('ranks a note containing a quoted phrase first and shows the chunk with the phrase', async () => {
    const result = await search({ query: 'tomatoes "office kitchen"' });
    expect(paths(result)[0]).toBe('work/meeting.md');
    const hit = result.hits[0]!;
    const highlighted = hit.highlights.map(([from, to]) => hit.snippet.slice(from, to).toLowerCase());
    expect(highlighted).toEqual(expect.arrayContaining(['tomatoes', 'office kitchen']));
    const phraseTop = await search({ query: '"soapy water"' });
    expect(phraseTop.hits[0]?.notePath).toBe('garden/tomatoes.md');
    expect(phraseTop.hits[0]?.headingPath).toEqual(['Pests']);
  });

  it('highlights matched terms on word boundaries in the snippet', async () => {
    const result = await search({ query: 'harvest red', mode: 'text' });
    const hit = result.hits.find((entry) => entry.notePath === 'garden/tomatoes.md');
    expect(hit?.headingPath).toEqual(['Harvest']);
    const marked = hit!.highlights.map(([from, to]) => hit!.snippet.slice(from, to));
    expect(marked).toEqual(['red']);
  });

  it('applies filters from the request and from the query', async () => {
    expect(paths(await search({ query: 'tomatoes', filters: { tags: ['work'] } }))).toEqual([
      'work/meeting.md',
    ]);
    expect(paths(await search({ query: 'tomatoes tag:food' }))).toEqual(['recipes/sauce.md']);
    // Dense retrieval returns every nearby note, so both garden notes pass the glob.
    expect(paths(await search({ query: 'tomatoes path:garden/**' }))).toEqual([
      'garden/tomatoes.md',
      'garden/compost.md',
    ]);
    expect(paths(await search({ query: 'tomatoes folder:nope' }))).toEqual([]);
  });

  it('lists notes matching only filters, newest first', async () => {
    expect(paths(await search({ query: '#garden' }))).toEqual(['garden/tomatoes.md', 'garden/compost.md']);
  });

  it('runs dense-only and text-only modes without boosts', async () => {
    const dense = await search({ query: 'water', mode: 'dense' });
    expect(dense.versionsSearched).toEqual(['v0']);
    expect(dense.hits.length).toBeGreaterThan(0);
    const text = await search({ query: 'garlic', mode: 'text' });
    expect(text.versionsSearched).toEqual([]);
    expect(paths(text)).toEqual(['recipes/sauce.md']);
  });

  it('respects the limit', async () => {
    expect((await search({ query: 'tomatoes water compost', limit: 2 })).hits).toHaveLength(2);
  });

  it('searches each version given by the vectorsByVersion seam', async () => {
    const v1 = new FeatureHashingEncoder({ dimensions: 64, version: 'v1' });
    await index.writeNotes([
      await makeNoteWrite(v1, { notePath: 'new/rhubarb.md', sections: ['rhubarb crumble'] }),
    ]);
    const onlyCurrent = await searchNotes(index, v1, { query: 'rhubarb crumble', mode: 'dense' });
    expect(onlyCurrent.versionsSearched).toEqual(['v1']);
    expect(paths(onlyCurrent)).toEqual(['new/rhubarb.md']);
    const both = await searchNotes(
      index,
      v1,
      { query: 'compost heap', mode: 'dense' },
      {
        vectorsByVersion: async (vector) =>
          new Map([
            ['v1', vector],
            ['v0', vector],
          ]),
      },
    );
    expect(both.versionsSearched).toEqual(['v1', 'v0']);
    expect(paths(both)[0]).toBe('garden/compost.md');
    await index.removeNotes([{ folderId: 'f1', notePath: 'new/rhubarb.md' }]);
  });
});
