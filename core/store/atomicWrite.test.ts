import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FeatureHashingEncoder, makeNoteWrite, makeNoteWrites, makeTempDir } from '../testing/index.ts';
import { NoteIndex, writeUpToStep } from './noteIndex.ts';

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

const oldNote = () => makeNoteWrite(encoder, { notePath: 'a.md', sections: ['original otter text'] });
const newNote = () =>
  makeNoteWrite(encoder, { notePath: 'a.md', sections: ['edited otter text', 'extra beaver part'] });

async function visibleTexts(): Promise<string[]> {
  const dense = await index.denseSearch(encoder.embed('otter beaver text'), { k: 10 });
  const text = await index.textSearch('otter beaver', { k: 10 });
  return [...new Set([...dense, ...text].map((chunk) => chunk.text))].sort();
}

describe('interrupted writes', () => {
  it('a write stopped after adding rows shows the old note, and repair drops the new rows', async () => {
    await index.writeNotes([await oldNote()]);
    await index[writeUpToStep]([await newNote()], 1);
    expect(await visibleTexts()).toEqual(['original otter text']);
    expect((await index.stats()).chunks).toBe(3);
    expect(await index.repair()).toBe(2);
    expect(await visibleTexts()).toEqual(['original otter text']);
  });

  it('a write stopped after the commit shows only the new note, and repair drops the old rows', async () => {
    await index.writeNotes([await oldNote()]);
    await index[writeUpToStep]([await newNote()], 2);
    expect(await visibleTexts()).toEqual(['edited otter text', 'extra beaver part']);
    expect((await index.listNotes('f1'))[0]?.chunkCount).toBe(2);
    expect(await index.repair()).toBe(1);
    expect((await index.stats()).chunks).toBe(2);
  });

  it('a never-committed new note stays invisible and reopening repairs it', async () => {
    await index[writeUpToStep](
      await makeNoteWrites(encoder, [{ notePath: 'b.md', sections: ['otter ghost'] }]),
      1,
    );
    expect(await visibleTexts()).toEqual([]);
    expect(await index.listNotes('f1')).toEqual([]);
    await index.close();
    index = await NoteIndex.open(temp.dir, { dimensions: 32, repairOnOpen: true });
    expect((await index.stats()).chunks).toBe(0);
  });
});

describe('concurrency', () => {
  it('searches while notes are being written without errors or half-written notes', async () => {
    const batches = await Promise.all(
      Array.from({ length: 6 }, (_, round) =>
        makeNoteWrites(
          encoder,
          Array.from({ length: 5 }, (_, i) => ({
            notePath: `n${i}.md`,
            sections: [`otter round ${round}`, `beaver round ${round}`],
          })),
        ),
      ),
    );
    const writing = (async () => {
      for (const batch of batches) await index.writeNotes(batch);
    })();
    const seen: string[][] = [];
    const searching = (async () => {
      for (let i = 0; i < 12; i++) {
        const hits = await index.denseSearch(encoder.embed('otter round'), { k: 50 });
        const text = await index.textSearch('beaver', { k: 50 });
        for (const hitList of [hits, text]) {
          const byNote = new Map<string, Set<string>>();
          for (const hit of hitList)
            byNote.set(hit.notePath, (byNote.get(hit.notePath) ?? new Set()).add(hit.noteHash));
          seen.push([...byNote.values()].map((hashes) => String(hashes.size)));
        }
      }
    })();
    await Promise.all([writing, searching]);
    // Every note shows the chunks of exactly one revision at a time.
    expect(seen.flat().every((count) => count === '1')).toBe(true);
    expect((await index.stats()).chunks).toBe(10);
  });
});

describe('a reader in another handle', () => {
  it('sees committed writes, never in-flight ones, and does not repair them away', async () => {
    await index.writeNotes([await oldNote()]);
    await index[writeUpToStep]([await newNote()], 1);
    const reader = await NoteIndex.open(temp.dir, {
      dimensions: 32,
      readConsistencyIntervalSeconds: 0,
      repairOnOpen: false,
    });
    try {
      expect((await reader.textSearch('otter', { k: 10 })).map((hit) => hit.text)).toEqual([
        'original otter text',
      ]);
      expect((await reader.stats()).chunks).toBe(3);
      await index.writeNotes([await makeNoteWrite(encoder, { notePath: 'c.md', sections: ['fresh otter'] })]);
      const texts = (await reader.textSearch('otter', { k: 10 })).map((hit) => hit.text).sort();
      expect(texts).toEqual(['fresh otter', 'original otter text']);
    } finally {
      await reader.close();
    }
  });
});
