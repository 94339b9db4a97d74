import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NoteIndex } from '../store/index.ts';
import { FeatureHashingEncoder, makeNoteWrites, makeTempDir } from '../testing/index.ts';
import { searchNotes } from './searchNotes.ts';
import type { FolderResolver, SearchMode } from './types.ts';

const encoder = new FeatureHashingEncoder({ dimensions: 64 });
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let index: NoteIndex;

beforeAll(async () => {
  temp = await makeTempDir();
  index = await NoteIndex.open(temp.dir, { dimensions: 64 });
  await index.writeNotes(
    await makeNoteWrites(encoder, [
      { notePath: 'journal/phrase.md', sections: ['I volunteered at the homeless shelter on Sunday.'] },
      {
        notePath: 'journal/apart.md',
        sections: ['The shelter by the river was full.', 'Homeless people need more than one night.'],
      },
      { notePath: 'journal/reversed.md', sections: ['A shelter for the homeless opened downtown.'] },
      { notePath: 'journal/bank.md', sections: ['Sorting tins at the food bank with the shelter team.'] },
      { folderId: 'f2', notePath: 'conv30/talk.md', sections: ['We talked about the shelter roof.'] },
      { folderId: 'f2', notePath: 'conv300/other.md', sections: ['Another shelter conversation.'] },
    ]),
  );
});

afterAll(async () => {
  await index.close();
  await temp.remove();
});

const folderNames: FolderResolver = (ref) =>
  ({ journal: 'f1', talks: 'f2' })[ref] ?? { problem: `No folder is named “${ref}”.` };
const search = (query: string, mode: SearchMode = 'hybrid') =>
  searchNotes(
    index,
    encoder,
    { query, mode, limit: 20 },
    { querySyntax: 'full', resolveFolder: folderNames },
  );
const paths = async (query: string, mode?: SearchMode) =>
  (await search(query, mode)).hits.map((hit) => hit.notePath).sort();

describe('the query language in search', () => {
  it.each<SearchMode>(['hybrid', 'dense', 'text'])(
    'returns only notes holding an exact phrase (%s)',
    async (mode) => {
      expect(await paths('"homeless shelter"', mode)).toEqual(['journal/phrase.md']);
    },
  );

  it('lets OR accept either phrase', async () => {
    expect(await paths('"homeless shelter" OR "food bank"')).toEqual([
      'journal/bank.md',
      'journal/phrase.md',
    ]);
  });

  it('leaves out notes holding an excluded word, in any of their chunks', async () => {
    const found = await paths('shelter -homeless');
    expect(found).toContain('journal/bank.md');
    expect(found).not.toContain('journal/apart.md');
    expect(found).not.toContain('journal/phrase.md');
    expect(found).not.toContain('journal/reversed.md');
  });

  it('reads path:<folder> as that folder only, not a folder that starts the same', async () => {
    expect(await paths('shelter path:conv30')).toEqual(['conv30/talk.md']);
  });

  it('takes folder: by name and says how the query was understood', async () => {
    const result = await search('shelter folder:talks -roof');
    expect(result.hits.map((hit) => hit.notePath)).toEqual(['conv300/other.md']);
    expect(result.understood).toEqual([
      { kind: 'folder', label: 'folder talks' },
      { kind: 'exclude', label: 'not roof' },
    ]);
  });

  it('refuses a query with bad operators, naming each', async () => {
    await expect(search('shelter after:notadate folder:nope')).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/^after:notadate is not a date.*No folder is named “nope”\.$/),
    });
    await expect(search('path:[')).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'path:[ is not a path pattern we can use: a “[” is never closed with “]”.',
    });
  });

  it('applies exclusions to a query made only of filters', async () => {
    expect(await paths('folder:talks -roof')).toEqual(['conv300/other.md']);
  });
});

describe('pins and hides in search', () => {
  const marks = {
    isHidden: (note: { notePath: string }) => note.notePath === 'journal/phrase.md',
    isPinned: (note: { notePath: string }) => note.notePath === 'conv300/other.md',
  };
  const marked = async (query: string) =>
    (await searchNotes(index, encoder, { query, limit: 20 }, { querySyntax: 'full', marks })).hits.map(
      (hit) => hit.notePath,
    );

  it('drops hidden notes and ranks pinned matches first', async () => {
    const found = await marked('homeless shelter');
    expect(found[0]).toBe('conv300/other.md');
    expect(found).not.toContain('journal/phrase.md');
    expect(found).toContain('journal/reversed.md');
  });

  it('adds no pinned note that does not match, and applies to filter-only queries', async () => {
    expect(await marked('"food bank"')).toEqual(['journal/bank.md']);
    expect((await marked('folder:f2'))[0]).toBe('conv300/other.md');
  });
});

describe('plain query text (benchmark queries, replayed sentences)', () => {
  const plain = async (query: string) =>
    (await searchNotes(index, encoder, { query, limit: 20 })).hits.map((hit) => hit.notePath).sort();

  it('never refuses and never filters by quotes, dashes or OR', async () => {
    expect(await plain('the "homeless shelter" -homeless OR before: after:soon')).toEqual(
      await plain('the homeless shelter homeless OR before after soon'),
    );
    expect(await plain('"homeless shelter"')).toContain('journal/apart.md');
  });
});
