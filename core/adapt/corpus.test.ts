import { Query } from '@lancedb/lancedb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NoteIndex, writeUpToStep } from '../store/noteIndex.ts';
import { FeatureHashingEncoder, makeNoteWrite, makeTempDir } from '../testing/index.ts';
import { readCorpus } from './corpus.ts';

const DIMS = 32;
const v0 = new FeatureHashingEncoder({ dimensions: DIMS, version: 'v0' });
const v1 = new FeatureHashingEncoder({ dimensions: DIMS, version: 'v1' });

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let index: NoteIndex;

beforeEach(async () => {
  temp = await makeTempDir();
  index = await NoteIndex.open(temp.dir, { dimensions: DIMS });
});

afterEach(async () => {
  vi.restoreAllMocks();
  await index.close();
  await temp.remove();
});

describe('readCorpus', () => {
  it('gives each committed note its title, sections in order and version, without row objects', async () => {
    await index.writeNotes([
      await makeNoteWrite(v0, {
        notePath: 'b.md',
        title: 'Bees',
        sections: [{ heading: ['Hives'], text: 'hive boxes and frames' }, 'honey in autumn'],
      }),
      await makeNoteWrite(v1, { notePath: 'a.md', sections: ['apples first', 'apples second'] }),
    ]);
    // A crashed write: its rows are in the table but the note was never committed.
    await index[writeUpToStep]([await makeNoteWrite(v1, { notePath: 'c.md', sections: ['unseen'] })], 1);
    const toArray = vi.spyOn(Query.prototype, 'toArray');
    const notes = await readCorpus(index);
    expect(toArray).not.toHaveBeenCalled();
    expect(notes).toEqual([
      {
        folderId: 'f1',
        notePath: 'a.md',
        title: 'a',
        encoderVersion: 'v1',
        sections: [
          expect.objectContaining({ headingPath: [], text: 'apples first' }),
          expect.objectContaining({ headingPath: [], text: 'apples second' }),
        ],
      },
      {
        folderId: 'f1',
        notePath: 'b.md',
        title: 'Bees',
        encoderVersion: 'v0',
        sections: [
          expect.objectContaining({ headingPath: ['Hives'], text: 'hive boxes and frames' }),
          expect.objectContaining({ headingPath: [], text: 'honey in autumn' }),
        ],
      },
    ]);
    expect(notes[1]!.sections[0]!.chunkId).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads an empty index as no notes', async () => {
    expect(await readCorpus(index)).toEqual([]);
  });
});
