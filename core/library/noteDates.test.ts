import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobContext } from '../jobs/index.ts';
import { searchNotes } from '../search/index.ts';
import { NoteIndex } from '../store/index.ts';
import { FeatureHashingEncoder, makeTempDir } from '../testing/index.ts';
import { syncFolder } from './syncFolder.ts';

const encoder = new FeatureHashingEncoder({ dimensions: 64 });
const context: JobContext = {
  signal: new AbortController().signal,
  report: () => {},
  checkpoint: async () => {},
};
const today = new Date(2026, 11, 7, 9, 30);
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let index: NoteIndex;

beforeAll(async () => {
  temp = await makeTempDir();
  const notes = path.join(temp.dir, 'notes');
  await fs.mkdir(notes);
  const files: Record<string, string> = {
    '2023-05-08 session 01.md': 'Session about the garden plan.',
    'planned.md': '---\ndate: 2021-03-04\n---\nThe garden plan, first draft.',
    'undated.md': 'The garden plan without a date.',
  };
  for (const [name, text] of Object.entries(files)) {
    await fs.writeFile(path.join(notes, name), text);
    await fs.utimes(path.join(notes, name), today, today);
  }
  index = await NoteIndex.open(path.join(temp.dir, 'index'), { dimensions: 64 });
  const folder = { id: 'f1', root: notes, addedMs: 0 };
  const options = { ignore: [], maxFileBytes: 1_000_000, maxIndexedChars: 100_000 };
  await syncFolder(folder, { index, encoder: async () => encoder }, options, context);
});

afterAll(async () => {
  await index.close();
  await temp.remove();
});

const search = async (query: string) =>
  (await searchNotes(index, encoder, { query, mode: 'text' })).hits
    .map((hit) => [hit.notePath, new Date(hit.modifiedMs).toDateString()])
    .sort();

describe('the date of a note', () => {
  it('is its front matter date, else the day in its file name, else its mtime; results show it', async () => {
    expect(await search('garden plan')).toEqual([
      ['2023-05-08 session 01.md', new Date(2023, 4, 8).toDateString()],
      ['planned.md', new Date(2021, 2, 4).toDateString()],
      ['undated.md', today.toDateString()],
    ]);
  });

  it('is what after: and before: filter on', async () => {
    expect((await search('garden after:2022 before:2024')).map(([notePath]) => notePath)).toEqual([
      '2023-05-08 session 01.md',
    ]);
    expect((await search('garden before:2022')).map(([notePath]) => notePath)).toEqual(['planned.md']);
  });

  it('does not make an unchanged note look changed on the next sync', async () => {
    const folder = { id: 'f1', root: path.join(temp.dir, 'notes'), addedMs: 0 };
    const options = { ignore: [], maxFileBytes: 1_000_000, maxIndexedChars: 100_000 };
    const report = await syncFolder(folder, { index, encoder: async () => encoder }, options, context);
    expect([report.unchanged, report.updated]).toEqual([3, 0]);
  });
});
