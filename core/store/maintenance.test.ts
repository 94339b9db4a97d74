import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FeatureHashingEncoder, makeNoteWrites, makeTempDir } from '../testing/index.ts';
import { DEFAULT_ANN_MIN_ROWS, NoteIndex } from './noteIndex.ts';

const encoder = new FeatureHashingEncoder({ dimensions: 32 });
const words = ['otter', 'beaver', 'heron', 'salmon', 'willow', 'reed', 'stone', 'moss', 'fern', 'lichen'];
let temp: Awaited<ReturnType<typeof makeTempDir>>;

beforeEach(async () => {
  temp = await makeTempDir();
});

afterEach(async () => {
  await temp.remove();
});

function notes(count: number, prefix: string) {
  return makeNoteWrites(
    encoder,
    Array.from({ length: count }, (_, i) => ({
      notePath: `${prefix}${i}.md`,
      title: 'Note',
      sections: [`${words[i % 10]} ${words[(i * 3) % 10]} ${prefix}${i}`, `${words[(i * 7) % 10]} river`],
    })),
  );
}

describe('index maintenance', () => {
  it('finds rows written after the full-text index was built, before and after folding them in', async () => {
    const index = await NoteIndex.open(temp.dir, { dimensions: 32, ftsFoldRows: 6 });
    await index.writeNotes(await notes(2, 'a'));
    expect((await index.textSearch('a1', { k: 5 })).map((hit) => hit.notePath)).toEqual(['a1.md']);
    await index.writeNotes(await notes(2, 'b'));
    expect((await index.textSearch('b1', { k: 5 })).map((hit) => hit.notePath)).toEqual(['b1.md']);
    await index.writeNotes(await notes(3, 'c'));
    expect((await index.textSearch('c2', { k: 5 })).map((hit) => hit.notePath)).toEqual(['c2.md']);
    await index.close();
  });

  it('indexes long chunks for full text without stalling', async () => {
    // With term positions, LanceDB 0.31 never finished indexing exactly this data (2,000 chunks of
    // 240 words); without them it takes well under a second. A stall would time this test out.
    const index = await NoteIndex.open(temp.dir, { dimensions: 32 });
    const vocabulary = Array.from({ length: 3000 }, (_, i) => `w${(i * 7919) % 10007}`);
    const long = (i: number) =>
      Array.from({ length: 240 }, (_, k) => vocabulary[(i * 17 + k * k) % 3000]).join(' ');
    const specs = Array.from({ length: 500 }, (_, i) => ({
      notePath: `long${i}.md`,
      title: 'Long',
      sections: [long(4 * i), long(4 * i + 1), long(4 * i + 2), `marker${i} ${long(4 * i + 3)}`],
    }));
    await index.writeNotes(await makeNoteWrites(encoder, specs));
    expect((await index.textSearch('marker123', { k: 3 })).map((hit) => hit.notePath)).toEqual([
      'long123.md',
    ]);
    await index.close();
  });

  it('builds an ANN index on a large table and keeps searching correctly', async () => {
    const index = await NoteIndex.open(temp.dir, { dimensions: 32, annMinRows: 400 });
    await index.writeNotes(await notes(250, 'n'));
    const query = encoder.embed('otter heron n42');
    const before = await index.denseSearch(query, { k: 5 });
    expect(await index.indexNames()).not.toContain('vector_idx');
    await index.optimize();
    expect(await index.indexNames()).toEqual(expect.arrayContaining(['vector_idx', 'fts_text_idx']));
    const after = await index.denseSearch(query, { k: 5 });
    // Approximate search may swap exact ties, but finds neighbours as close as the exact ones.
    expect(after.map((hit) => hit.score)).toEqual(before.map((hit) => expect.closeTo(hit.score, 5)));
    expect((await index.textSearch('n42', { k: 5 }))[0]?.notePath).toBe('n42.md');
    await index.writeNotes(await notes(2, 'late'));
    const [late] = await index.denseSearch(encoder.embed(`Note ${words[1]} ${words[3]} late1`), {
      k: 1,
      encoderVersion: 'v0',
    });
    expect(late?.notePath).toBe('late1.md');
    expect(late?.score).toBeCloseTo(1, 5);
    expect((await index.stats()).bytesOnDisk).toBeGreaterThan(0);
    await index.close();
  });

  it('builds the ANN index by default once the table reaches DEFAULT_ANN_MIN_ROWS chunks, not before', async () => {
    // Two chunks a note: one note short of the threshold, then the note that reaches it.
    const index = await NoteIndex.open(temp.dir, { dimensions: 32 });
    await index.writeNotes(await notes(DEFAULT_ANN_MIN_ROWS / 2 - 1, 'n'));
    await index.optimize();
    expect(await index.indexNames()).not.toContain('vector_idx');
    await index.writeNotes(await notes(1, 'last'));
    await index.optimize();
    expect(await index.indexNames()).toContain('vector_idx');
    await index.close();
  });
});
