import { Query, QueryBase } from '@lancedb/lancedb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FeatureHashingEncoder, makeNoteWrite, makeNoteWrites, makeTempDir } from '../testing/index.ts';
import { NoteIndex } from './noteIndex.ts';

const encoder = new FeatureHashingEncoder({ dimensions: 32 });
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let index: NoteIndex;

beforeEach(async () => {
  temp = await makeTempDir();
  index = await NoteIndex.open(temp.dir, { dimensions: 32 });
});

afterEach(async () => {
  await index.close();
  await temp.remove();
});

const paths = (hits: Array<{ notePath: string }>) => hits.map((hit) => hit.notePath);

/** Counts the rows LanceDB queries hand to JavaScript (`toArray`), to show what a read costs. */
function countRowsRead() {
  let total = 0;
  const original = Query.prototype.toArray;
  const spy = vi.spyOn(Query.prototype, 'toArray').mockImplementation(async function (this: Query, ...args) {
    const rows = await original.apply(this, args);
    total += rows.length;
    return rows;
  });
  return { total: () => total, reset: () => (total = 0), restore: () => spy.mockRestore() };
}

describe('NoteIndex writes', () => {
  it('writes notes and lists their committed state', async () => {
    await index.writeNotes(
      await makeNoteWrites(encoder, [
        { notePath: 'a.md', sections: ['apples and pears', 'more fruit'] },
        { notePath: 'b.md', sections: ['bananas'] },
      ]),
    );
    const notes = await index.listNotes('f1');
    expect(notes.map((note) => [note.notePath, note.chunkCount]).sort()).toEqual([
      ['a.md', 2],
      ['b.md', 1],
    ]);
    expect(await index.listNotes('other')).toEqual([]);
    expect((await index.stats()).chunks).toBe(3);
  });

  it('replaces the chunks of a rewritten note, even with the same content hash', async () => {
    const first = await makeNoteWrite(encoder, { notePath: 'a.md', sections: ['old words here'] });
    await index.writeNotes([first]);
    await index.writeNotes([
      await makeNoteWrite(encoder, { notePath: 'a.md', sections: ['new words', 'second part'] }),
    ]);
    await index.writeNotes([
      await makeNoteWrite(encoder, { notePath: 'a.md', sections: ['new words', 'second part'] }),
    ]);
    expect((await index.stats()).chunks).toBe(2);
    const hits = await index.textSearch('old', { k: 10 });
    expect(hits).toEqual([]);
    expect(paths(await index.textSearch('second', { k: 10 }))).toEqual(['a.md']);
  });

  it('removes notes and their chunks', async () => {
    await index.writeNotes(
      await makeNoteWrites(encoder, [
        { notePath: 'a.md', sections: ['x'] },
        { notePath: 'b.md', sections: ['y'] },
      ]),
    );
    await index.removeNotes([{ folderId: 'f1', notePath: 'a.md' }]);
    expect(paths(await index.listNotes('f1'))).toEqual(['b.md']);
    expect((await index.stats()).chunks).toBe(1);
  });

  it('renames a note keeping its vectors', async () => {
    const note = await makeNoteWrite(encoder, { notePath: 'old/a.md', sections: ['walrus facts', 'tusks'] });
    await index.writeNotes([note]);
    await index.renameNote(
      { folderId: 'f1', notePath: 'old/a.md' },
      { folderId: 'f1', notePath: 'new/a.md' },
    );
    expect(paths(await index.listNotes('f1'))).toEqual(['new/a.md']);
    const hits = await index.denseSearch(encoder.embed('walrus facts'), { k: 5 });
    expect(paths(hits)).toEqual(['new/a.md', 'new/a.md']);
    expect(hits[0]?.id).toContain('new/a.md');
    const vectors = await index.vectorsForChunks([note.chunks[0]!.chunkId], 'v0');
    expect(Array.from(vectors.get(note.chunks[0]!.chunkId)!)).toEqual(Array.from(note.chunks[0]!.vector));
    await expect(
      index.renameNote({ folderId: 'f1', notePath: 'missing.md' }, { folderId: 'f1', notePath: 'x.md' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('returns stored vectors only for the requested encoder version', async () => {
    const note = await makeNoteWrite(encoder, { notePath: 'a.md', sections: ['alpha', 'beta'] });
    await index.writeNotes([note]);
    const ids = note.chunks.map((chunk) => chunk.chunkId);
    expect((await index.vectorsForChunks([...ids, 'unknown'], 'v0')).size).toBe(2);
    expect((await index.vectorsForChunks(ids, 'v1')).size).toBe(0);
  });

  it('rejects chunks that do not belong to their note or have the wrong length', async () => {
    const note = await makeNoteWrite(encoder, { notePath: 'a.md', sections: ['alpha'] });
    const stranger = { ...note, chunks: note.chunks.map((chunk) => ({ ...chunk, notePath: 'b.md' })) };
    await expect(index.writeNotes([stranger])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const short = {
      ...note,
      chunks: note.chunks.map((chunk) => ({ ...chunk, vector: new Float32Array(3) })),
    };
    await expect(index.writeNotes([short])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('stores unit and all-zero vectors only, so dot product ranks as cosine', async () => {
    const note = await makeNoteWrite(encoder, { notePath: 'a.md', sections: ['alpha'] });
    const withVector = (vector: Float32Array) => ({
      ...note,
      chunks: note.chunks.map((chunk) => ({ ...chunk, vector })),
    });
    const doubled = note.chunks[0]!.vector.map((x) => 2 * x);
    await expect(index.writeNotes([withVector(doubled)])).rejects.toThrow('not unit length');
    await index.writeNotes([withVector(new Float32Array(32))]);
    expect(await index.countRowsByVersion()).toEqual({ v0: 1 });
  });

  it('ranks by cosine, whatever the length of the query vector', async () => {
    const axis = (i: number, j: number) => {
      const v = new Float32Array(32);
      v[i] = Math.cos(j / 10);
      v[(i + 1) % 32] = Math.sin(j / 10);
      return v;
    };
    const notes = await Promise.all(
      Array.from({ length: 12 }, (_, j) =>
        makeNoteWrite(encoder, { notePath: `n${j}.md`, sections: [`s${j}`] }),
      ),
    );
    await index.writeNotes(
      notes.map((note, j) => ({
        ...note,
        chunks: note.chunks.map((chunk) => ({ ...chunk, vector: axis(0, j) })),
      })),
    );
    const query = axis(0, 4).map((x) => 3 * x);
    const ranked = paths(await index.denseSearch(query, { k: 12 }));
    expect(ranked.slice(0, 3)).toEqual([
      'n4.md',
      expect.stringMatching(/^n[35]\.md$/),
      expect.stringMatching(/^n[35]\.md$/),
    ]);
    expect(ranked.at(-1)).toBe('n11.md');
  });

  it('scores dense hits by cosine from LanceDB’s distances, fetching no stored vectors', async () => {
    const notes = await makeNoteWrites(
      encoder,
      Array.from({ length: 20 }, (_, i) => ({ notePath: `n${i}.md`, sections: [`words of note ${i}`] })),
    );
    await index.writeNotes(notes);
    const stored = new Map(notes.map((note) => [note.notePath, note.chunks[0]!.vector]));
    const columns: string[][] = [];
    const select = QueryBase.prototype.select;
    const spy = vi.spyOn(QueryBase.prototype, 'select').mockImplementation(function (
      this: QueryBase<never>,
      ...args
    ) {
      columns.push([...(args[0] as string[])]);
      return select.apply(this, args) as never;
    });
    const query = encoder.embed('words of note 7').map((x) => 3 * x);
    const hits = await index.denseSearch(query, { k: 20 }).finally(() => spy.mockRestore());
    expect(columns.flat()).not.toContain('vector');
    const norm = Math.hypot(...query);
    for (const hit of hits) {
      const vector = stored.get(hit.notePath)!;
      const cosine = vector.reduce((sum, x, i) => sum + x * query[i]!, 0) / norm;
      expect(hit.score).toBeCloseTo(cosine, 5);
    }
    expect(hits.map((hit) => hit.score)).toEqual([...hits.map((hit) => hit.score)].sort((a, b) => b - a));
  });

  it('counts rows per encoder version', async () => {
    const v1 = new FeatureHashingEncoder({ dimensions: 32, version: 'v1' });
    await index.writeNotes([await makeNoteWrite(encoder, { notePath: 'a.md', sections: ['one', 'two'] })]);
    await index.writeNotes([await makeNoteWrite(v1, { notePath: 'b.md', sections: ['three'] })]);
    expect(await index.countRowsByVersion()).toEqual({ v0: 2, v1: 1 });
  });

  it('counts rows per version in LanceDB, reading only rows of versions it has not seen', async () => {
    const rowsRead = countRowsRead();
    try {
      const v1 = new FeatureHashingEncoder({ dimensions: 32, version: 'v1' });
      await index.writeNotes(
        await makeNoteWrites(
          encoder,
          Array.from({ length: 40 }, (_, i) => ({ notePath: `n${i}.md`, sections: ['one', 'two'] })),
        ),
      );
      await index.writeNotes([await makeNoteWrite(v1, { notePath: 'b.md', sections: ['three'] })]);
      rowsRead.reset();
      expect(await index.countRowsByVersion()).toEqual({ v0: 80, v1: 1 });
      // The versions it wrote are counted in LanceDB; reading the column read all 81 rows.
      expect(rowsRead.total()).toBe(0);
      // Rows of a version another writer added are read once, then counted there too.
      const other = await NoteIndex.open(temp.dir, { dimensions: 32, readConsistencyIntervalSeconds: 0 });
      const v2 = new FeatureHashingEncoder({ dimensions: 32, version: 'v2' });
      await other.writeNotes([await makeNoteWrite(v2, { notePath: 'c.md', sections: ['four'] })]);
      await other.close();
      const reader = await NoteIndex.open(temp.dir, { dimensions: 32 });
      expect(await reader.countRowsByVersion()).toEqual({ v0: 80, v1: 1, v2: 1 });
      rowsRead.reset();
      expect(await reader.countRowsByVersion()).toEqual({ v0: 80, v1: 1, v2: 1 });
      expect(rowsRead.total()).toBe(0);
      await reader.close();
    } finally {
      rowsRead.restore();
    }
  });

  it('commits writes and removals without reading every note back, and sees another writer’s notes', async () => {
    const rowsRead = countRowsRead();
    try {
      await index.writeNotes(
        await makeNoteWrites(
          encoder,
          Array.from({ length: 60 }, (_, i) => ({ notePath: `n${i}.md`, sections: [`topic${i} words`] })),
        ),
      );
      rowsRead.reset();
      await index.writeNotes([
        await makeNoteWrite(encoder, { notePath: 'n1.md', sections: ['rewritten text'] }),
      ]);
      await index.removeNotes([{ folderId: 'f1', notePath: 'n2.md' }]);
      // Reloading the committed notes after each commit read all 60 notes rows twice.
      expect(rowsRead.total()).toBe(0);
      const found = async (query: string) => paths(await index.textSearch(query, { k: 5 }));
      expect(await found('rewritten')).toEqual(['n1.md']);
      expect(await found('topic1')).toEqual([]);
      expect(await found('topic2')).toEqual([]);
      // A write after another writer's commit reloads: that writer's note stays visible.
      const other = await NoteIndex.open(temp.dir, { dimensions: 32 });
      await other.writeNotes([
        await makeNoteWrite(encoder, { notePath: 'other.md', sections: ['elsewhere'] }),
      ]);
      await other.close();
      await index.writeNotes([await makeNoteWrite(encoder, { notePath: 'n3.md', sections: ['again'] })]);
      expect(await found('elsewhere')).toEqual(['other.md']);
      expect(await found('again')).toEqual(['n3.md']);
    } finally {
      rowsRead.restore();
    }
  });

  it('keeps data across close and reopen, and refuses another vector length', async () => {
    await index.writeNotes([await makeNoteWrite(encoder, { notePath: 'a.md', sections: ['persist me'] })]);
    await index.close();
    await index.close();
    await expect(index.listNotes('f1')).rejects.toMatchObject({ code: 'CONFLICT' });
    index = await NoteIndex.open(temp.dir, { dimensions: 32 });
    expect(paths(await index.listNotes('f1'))).toEqual(['a.md']);
    await expect(NoteIndex.open(temp.dir, { dimensions: 16 })).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
