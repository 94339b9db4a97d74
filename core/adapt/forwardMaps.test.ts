import path from 'node:path';
import { Query } from '@lancedb/lancedb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NoteIndex } from '../store/index.ts';
import { FeatureHashingEncoder, makeNoteWrites, makeTempDir } from '../testing/index.ts';
import { chunkEmbeddingText } from '../ingest/index.ts';
import { keepAnchors } from './anchors.ts';
import { fitForwardMaps } from './forwardMaps.ts';
import { testJobContext } from './testing/index.ts';

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
    const { maps } = await fitForwardMaps(index, current, { maxAnchors: 40, seed: 3, toVersion: 'v2' });
    rows.restore();
    expect([...maps.keys()]).toEqual(['v0']);
    expect(maps.get('v0')!.map.fromVersion).toBe('v0');
    expect(maps.get('v0')!.map.toVersion).toBe('v2');
    // 300 older rows: the 40 sampled rows, their notes' rows and the anchors' vectors, not the table.
    expect(rows.total()).toBeLessThanOrEqual(200);
  });

  it('takes whole notes of the older version as anchors, within the row budget', async () => {
    const { anchors } = await fitForwardMaps(index, current, { maxAnchors: 41, seed: 3 });
    // Two chunks per note: 20 notes fill 40 of the 41 rows; no note is split.
    expect(anchors.notes.size).toBe(20);
    expect(anchors.vectors.size).toBe(40);
    expect([...anchors.notes.keys()].every((key) => key.includes('old-'))).toBe(true);
    const chunks = [...(await index.chunksOfNotes([...anchors.notes.keys()])).values()].flat();
    expect(chunks.map((chunk) => chunk.id).sort()).toEqual([...anchors.vectors.keys()].sort());
    // Each anchor vector is the current version's embedding of its chunk.
    const [chunk] = chunks;
    const [fresh] = await current.embedDocuments([
      chunkEmbeddingText(chunk!.title, { ...chunk!, ordinal: 0 }),
    ]);
    expect([...anchors.vectors.get(chunk!.id)!]).toEqual([...fresh!]);
  });

  it('re-embeds a segment smaller than the fewest anchors a map needs, without fitting one', async () => {
    const small = await NoteIndex.open(path.join(temp.dir, 'small'), { dimensions: DIMS });
    try {
      await small.writeNotes(await notes(older, 'old', 5));
      const { maps, anchors } = await fitForwardMaps(small, current, { maxAnchors: 1000, seed: 3 });
      expect(maps.size).toBe(0);
      expect(anchors.vectors.size).toBe(10);
      await keepAnchors(small, current, anchors, testJobContext());
      expect(await small.countRowsByVersion()).toEqual({ v1: 10 });
    } finally {
      await small.close();
    }
  });

  it('samples the same anchors for the same seed', async () => {
    const spy = vi.spyOn(index, 'chunksByRowId');
    const first = await fitForwardMaps(index, current, { maxAnchors: 40, seed: 3 });
    const second = await fitForwardMaps(index, current, { maxAnchors: 40, seed: 3 });
    const [firstIds, secondIds] = spy.mock.calls.map(([ids]) => ids);
    expect(firstIds).toHaveLength(40);
    expect(secondIds).toEqual(firstIds);
    expect([...second.anchors.notes]).toEqual([...first.anchors.notes]);
  });
});

describe('keepAnchors', () => {
  it('writes the anchors as rows of the adopted version without embedding them again', async () => {
    const { anchors } = await fitForwardMaps(index, current, { maxAnchors: 40, seed: 3 });
    const embed = vi.spyOn(current, 'embedDocuments');
    const context = testJobContext();
    const kept = await keepAnchors(index, current, anchors, context);
    expect(kept).toEqual({ notes: 20, chunks: 40 });
    expect(embed).not.toHaveBeenCalled();
    expect(await index.countRowsByVersion()).toEqual({ v0: 260, v1: 60 });
    const written = await index.vectorsForChunks(
      [...(await index.chunksOfNotes([...anchors.notes.keys()])).values()].flat().map((c) => c.chunkId),
      'v1',
    );
    expect(written.size).toBe(40);
  });

  it('embeds a note edited since the fit again instead of writing its stale anchor vectors', async () => {
    const { anchors } = await fitForwardMaps(index, current, { maxAnchors: 40, seed: 3 });
    const [key] = anchors.notes.keys();
    const [folderId, notePath] = key!.split('\u001f');
    const [edited] = await makeNoteWrites(older, [
      { folderId, notePath: notePath!, sections: ['quartz harbour edited', 'lantern ember rewritten'] },
    ]);
    await index.writeNotes([edited!]);
    const embed = vi.spyOn(current, 'embedDocuments');
    await keepAnchors(index, current, anchors, testJobContext());
    expect(embed).toHaveBeenCalledTimes(1);
    expect(embed.mock.calls[0]![0].join(' ')).toContain('quartz harbour edited');
  });
});
