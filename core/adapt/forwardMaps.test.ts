import { Query } from '@lancedb/lancedb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NoteIndex } from '../store/index.ts';
import { FeatureHashingEncoder, makeNoteWrites, makeTempDir } from '../testing/index.ts';
import { fitForwardMaps } from './forwardMaps.ts';

const DIMS = 32;
const older = new FeatureHashingEncoder({ dimensions: DIMS, version: 'v0' });
const current = new FeatureHashingEncoder({ dimensions: DIMS, version: 'v1' });
const WORDS = 'apple river stone cloud maple copper violet harbour lantern meadow quartz ember'.split(' ');

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let index: NoteIndex;

/** `count` notes of two distinct sections of words drawn in turn, embedded by `encoder`. */
function notes(encoder: FeatureHashingEncoder, prefix: string, count: number) {
  const word = (i: number) => WORDS[i % WORDS.length]!;
  return makeNoteWrites(
    encoder,
    Array.from({ length: count }, (_, i) => ({
      notePath: `${prefix}-${i}.md`,
      sections: [
        `${word(i)} ${word(i * 3 + 1)} ${word(i * 7 + 2)} ${prefix} ${i}`,
        `${word(i * 5 + 3)} ${word(i + 4)} note ${i}`,
      ],
    })),
  );
}

/** Rows LanceDB hands to JavaScript as objects (`toArray`), the cost that stalled the app's thread. */
function countRowsRead() {
  let total = 0;
  const original = Query.prototype.toArray;
  const spy = vi.spyOn(Query.prototype, 'toArray').mockImplementation(async function (this: Query, ...args) {
    const rows = await original.apply(this, args);
    total += rows.length;
    return rows;
  });
  return { total: () => total, restore: () => spy.mockRestore() };
}

beforeEach(async () => {
  temp = await makeTempDir();
  index = await NoteIndex.open(temp.dir, { dimensions: DIMS });
  await index.writeNotes(await notes(older, 'old', 150));
  await index.writeNotes(await notes(current, 'new', 10));
});

afterEach(async () => {
  vi.restoreAllMocks();
  await index.close();
  await temp.remove();
});

describe('fitForwardMaps', () => {
  it('fits a map per older version from a sample, reading only the sampled rows in full', async () => {
    await index.filterSearch({ k: 1 }); // loads the committed notes, as the app's searches keep them
    const rows = countRowsRead();
    const maps = await fitForwardMaps(index, current, { maxAnchors: 40, seed: 3, toVersion: 'v2' });
    rows.restore();
    expect([...maps.keys()]).toEqual(['v0']);
    expect(maps.get('v0')!.map.fromVersion).toBe('v0');
    expect(maps.get('v0')!.map.toVersion).toBe('v2');
    // 300 older rows: the sample's 40 rows and their 40 vectors are read, not the whole table.
    expect(rows.total()).toBeLessThanOrEqual(80);
  });

  it('samples the same anchors for the same seed', async () => {
    const spy = vi.spyOn(index, 'chunksByRowId');
    await fitForwardMaps(index, current, { maxAnchors: 40, seed: 3 });
    await fitForwardMaps(index, current, { maxAnchors: 40, seed: 3 });
    const [first, second] = spy.mock.calls.map(([ids]) => ids);
    expect(first).toHaveLength(40);
    expect(second).toEqual(first);
  });
});
