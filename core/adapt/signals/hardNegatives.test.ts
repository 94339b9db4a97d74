import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NoteIndex } from '../../store/index.ts';
import { FeatureHashingEncoder, makeNoteWrites, makeTempDir } from '../../testing/index.ts';
import { mineHardNegatives } from './hardNegatives.ts';

const encoder = new FeatureHashingEncoder({ dimensions: 64 });
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
    expect(pair!.negatives).toEqual(['tomato sauce garlic water kitchen']);
  });
});
