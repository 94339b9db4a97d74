import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeatureHashingEncoder, makeNoteWrite, makeNoteWrites, makeTempDir } from '../testing/index.ts';
import { NoteIndex } from './noteIndex.ts';
import { noteKey } from './noteKey.ts';
import type { ChunkFilters } from './types.ts';

const encoder = new FeatureHashingEncoder({ dimensions: 32 });
const day = 24 * 60 * 60 * 1000;
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let index: NoteIndex;

beforeAll(async () => {
  temp = await makeTempDir();
  index = await NoteIndex.open(temp.dir, { dimensions: 32 });
  await index.writeNotes(
    await makeNoteWrites(encoder, [
      {
        folderId: 'work',
        notePath: 'projects/plan.md',
        sections: ['garden plan'],
        tags: ['plan', 'garden'],
        modifiedMs: 10 * day,
      },
      {
        folderId: 'work',
        notePath: "o'neil/notes.md",
        title: "O'Neil's garden",
        sections: ['garden notes'],
        tags: ['people'],
        modifiedMs: 20 * day,
      },
      {
        folderId: 'home',
        notePath: 'garden.txt',
        sections: ['garden at home'],
        modifiedMs: 30 * day,
        format: 'text',
      },
      {
        folderId: 'home',
        notePath: 'deep/a/b/garden.md',
        sections: ['garden deep'],
        tags: ['garden'],
        modifiedMs: 40 * day,
      },
    ]),
  );
  const v1 = new FeatureHashingEncoder({ dimensions: 32, version: 'v1' });
  await index.writeNotes([
    await makeNoteWrite(v1, {
      folderId: 'home',
      notePath: 'v1.md',
      sections: ['garden newer'],
      modifiedMs: 50 * day,
    }),
  ]);
});

afterAll(async () => {
  await index.close();
  await temp.remove();
});

async function search(
  filters: ChunkFilters,
  encoderVersion?: string,
): Promise<{ dense: string[]; text: string[] }> {
  const dense = await index.denseSearch(encoder.embed('garden'), {
    k: 20,
    filters,
    ...(encoderVersion ? { encoderVersion } : {}),
  });
  const text = await index.textSearch('garden', { k: 20, filters });
  return { dense: dense.map((hit) => hit.notePath).sort(), text: text.map((hit) => hit.notePath).sort() };
}

describe('search filters', () => {
  it.each<[string, ChunkFilters, string[]]>([
    ['folder', { folderIds: ['work'] }, ["o'neil/notes.md", 'projects/plan.md']],
    ['no folder', { folderIds: [] }, []],
    ['any tag', { tags: ['people', 'plan'] }, ["o'neil/notes.md", 'projects/plan.md']],
    ['quoted tag', { tags: ["it's"] }, []],
    [
      'path glob',
      { pathGlob: '**/*.md' },
      ['deep/a/b/garden.md', "o'neil/notes.md", 'projects/plan.md', 'v1.md'],
    ],
    ['path glob dir', { pathGlob: 'deep/**' }, ['deep/a/b/garden.md']],
    [
      'modified range',
      { modifiedAfterMs: 20 * day, modifiedBeforeMs: 40 * day },
      ['garden.txt', "o'neil/notes.md"],
    ],
    ['combined', { folderIds: ['home'], tags: ['garden'], pathGlob: '**/garden.md' }, ['deep/a/b/garden.md']],
  ])('%s', async (_name, filters, expected) => {
    const { dense, text } = await search(filters);
    expect(dense).toEqual(expected);
    expect(text).toEqual(expected);
  });

  it('leaves out excluded chunks in both retrievers, ids with quotes included', async () => {
    const plan = await index.chunksOfNotes([noteKey({ folderId: 'work', notePath: 'projects/plan.md' })]);
    const excludeChunkIds = [...[...plan.values()].flat().map((chunk) => chunk.chunkId), "x' OR '1'='1"];
    expect(excludeChunkIds.length).toBeGreaterThan(1);
    const { dense, text } = await search({ folderIds: ['work'], excludeChunkIds });
    expect(dense).toEqual(["o'neil/notes.md"]);
    expect(text).toEqual(["o'neil/notes.md"]);
  });

  it('restricts dense search to one encoder version', async () => {
    expect((await search({}, 'v1')).dense).toEqual(['v1.md']);
    expect((await search({}, 'v0')).dense).not.toContain('v1.md');
    expect((await search({}, "v0' OR '1'='1")).dense).toEqual([]);
  });

  it('finds notes by exact title ignoring case, with quotes in it', async () => {
    const hits = await index.titleSearch("o'NEIL's GARDEN", { k: 5 });
    expect(hits.map((hit) => hit.notePath)).toEqual(["o'neil/notes.md"]);
  });

  it('full-text search matches titles and exact phrases', async () => {
    expect((await index.textSearch('neil', { k: 5 })).map((hit) => hit.notePath)).toEqual([
      "o'neil/notes.md",
    ]);
    expect(
      (await index.textSearch('garden at home', { k: 5, phrase: true })).map((hit) => hit.notePath),
    ).toEqual(['garden.txt']);
    expect(await index.textSearch('home at garden', { k: 5, phrase: true })).toEqual([]);
  });

  it('treats queries without words as matching nothing', async () => {
    expect(await index.textSearch('  ?! ', { k: 5 })).toEqual([]);
  });

  it('finds chunks by filters alone', async () => {
    const hits = await index.filterSearch({ k: 10, filters: { tags: ['garden'] } });
    expect(hits.map((hit) => hit.notePath).sort()).toEqual(['deep/a/b/garden.md', 'projects/plan.md']);
  });
});
