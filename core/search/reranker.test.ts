import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NoteIndex } from '../store/index.ts';
import { FeatureHashingEncoder, makeNoteWrites, makeTempDir } from '../testing/index.ts';
import type { NoteGroup } from './grouping.ts';
import type { Reranker } from './reranker.ts';
import { searchNotes } from './searchNotes.ts';
import type { NoteMarksView, SearchOptions, SearchRequest } from './types.ts';

const encoder = new FeatureHashingEncoder({ dimensions: 64 });
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let index: NoteIndex;

beforeAll(async () => {
  temp = await makeTempDir('driftless-rerank-');
  index = await NoteIndex.open(temp.dir, { dimensions: 64 });
  const note = (notePath: string, title: string, text: string) => ({
    notePath,
    title,
    sections: [text],
    tags: ['garden'],
    modifiedMs: 1000,
  });
  await index.writeNotes(
    await makeNoteWrites(encoder, [
      note(
        'tomatoes.md',
        'Tomatoes',
        'Tomatoes like warm soil. Water the tomatoes often; pick tomatoes red.',
      ),
      note('sauce.md', 'Sauce', 'Cook tomatoes slowly with garlic for a red sauce.'),
      note('salad.md', 'Salad', 'A salad of tomatoes, basil and oil.'),
      note('compost.md', 'Compost', 'Turn the compost heap weekly; tomatoes grow well in it.'),
    ]),
  );
});

afterAll(async () => {
  await index.close();
  await temp.remove();
});

const search = (request: SearchRequest, options?: SearchOptions) =>
  searchNotes(index, encoder, request, options);
const paths = (result: { hits: Array<{ notePath: string }> }) => result.hits.map((hit) => hit.notePath);

/** A reranker that records what it was given and answers with `order` of it. */
function recording(order: (notes: readonly NoteGroup[]) => NoteGroup[]) {
  const calls: Array<{ query: string; notes: string[] }> = [];
  const reranker: Reranker = {
    rerank: async (query, notes) => {
      calls.push({ query, notes: notes.map((group) => group.best.notePath) });
      return order(notes);
    },
  };
  return { reranker, calls };
}

describe('the reranker seam', () => {
  it('reorders the final hits, over every match before the limit', async () => {
    const fused = paths(await search({ query: 'tomatoes' }));
    expect(fused).toHaveLength(4);
    const reverse = recording((notes) => [...notes].reverse());
    const reranked = await search({ query: 'tomatoes' }, { reranker: reverse.reranker });
    expect(paths(reranked)).toEqual([...fused].reverse());
    const top2 = await search({ query: 'tomatoes', limit: 2 }, { reranker: reverse.reranker });
    expect(paths(top2)).toEqual([...fused].reverse().slice(0, 2));
    expect(reverse.calls.map((call) => call.query)).toEqual(['tomatoes', 'tomatoes']);
  });

  it('changes nothing by default: a reranker that keeps the order gets what is shown', async () => {
    const request: SearchRequest = { query: 'tomatoes garlic' };
    const plain = await search(request);
    const keep = recording((notes) => [...notes]);
    expect(await search(request, { reranker: keep.reranker })).toEqual(plain);
    expect(keep.calls).toEqual([{ query: 'tomatoes garlic', notes: paths(plain) }]);
  });

  it('keeps pinned notes first and may drop notes; filter-only queries are not reranked', async () => {
    const pins: NoteMarksView = {
      isHidden: () => false,
      isPinned: (note) => note.notePath === 'salad.md',
    };
    const dropCompost = recording((notes) => notes.filter((group) => group.best.notePath !== 'compost.md'));
    const hits = paths(await search({ query: 'tomatoes' }, { marks: pins, reranker: dropCompost.reranker }));
    expect(hits[0]).toBe('salad.md');
    expect(hits).not.toContain('compost.md');
    const filterOnly = await search(
      { query: 'tag:garden' },
      { querySyntax: 'full', reranker: dropCompost.reranker },
    );
    expect(paths(filterOnly)).toContain('compost.md');
    expect(dropCompost.calls).toHaveLength(1);
  });
});
