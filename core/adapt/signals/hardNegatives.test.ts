import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NoteIndex } from '../../store/index.ts';
import { FeatureHashingEncoder, makeNoteWrites, makeTempDir } from '../../testing/index.ts';
import { mineHardNegatives } from './hardNegatives.ts';

const encoder = new FeatureHashingEncoder({ dimensions: 64 });
// makeNoteWrites' default folder.
const folder = 'f1';
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let index: NoteIndex;

beforeAll(async () => {
  temp = await makeTempDir();
  index = await NoteIndex.open(temp.dir, { dimensions: 64 });
  await index.writeNotes(
    await makeNoteWrites(encoder, [
      { notePath: 'a.md', sections: ['tomato soil compost water garden'] },
      { notePath: 'b.md', sections: ['tomato sauce garlic water kitchen'] },
      { notePath: 'c.md', sections: ['quantum physics lecture notes'] },
      { notePath: 'd.md', sections: ['tomato water soil seedlings', 'quantum garden physics'] },
    ]),
  );
});
afterAll(async () => {
  await index.close();
  await temp.remove();
});

describe('mineHardNegatives', () => {
  it('adds the nearest other passages of the current version, never the positive', async () => {
    const [pair] = await mineHardNegatives(
      [
        {
          query: 'tomato water',
          positive: 'tomato soil compost water garden',
          negatives: [],
          source: 'heading',
        },
      ],
      index,
      encoder,
      { perPair: 1 },
    );
    expect(pair!.negatives).toEqual(['tomato water soil seedlings']);
  });

  it('takes no negative from a note that answers the query: its own note or another chosen one', async () => {
    const pair = (note: string) => ({
      query: 'tomato water',
      positive: 'tomato soil compost water garden',
      negatives: [],
      source: 'feedback' as const,
      note,
    });
    const [mined] = await mineHardNegatives(
      [pair(`${folder}/a.md`), pair(`${folder}/d.md`)],
      index,
      encoder,
      {
        perPair: 5,
        depth: 10,
      },
    );
    expect(mined!.negatives).toContain('tomato sauce garlic water kitchen');
    expect(
      mined!.negatives.some((text) => text.includes('seedlings') || text.includes('quantum garden')),
    ).toBe(false);
  });
});
