import { Index, PhraseQuery } from '@lancedb/lancedb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FeatureHashingEncoder, makeNoteWrites, makeTempDir } from '../testing/index.ts';
import { connectLance } from './lanceRuntime.ts';
import { NoteIndex } from './noteIndex.ts';
import { CHUNKS_TABLE } from './schema.ts';

const encoder = new FeatureHashingEncoder({ dimensions: 16 });
let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => (temp = await makeTempDir()));
afterEach(() => temp.remove());

const notes = (paths: Record<string, string>) =>
  makeNoteWrites(
    encoder,
    Object.entries(paths).map(([notePath, text]) => ({ notePath, sections: [text] })),
  );
const phrase = async (index: NoteIndex, text: string) =>
  (await index.textSearch(text, { k: 10, phrase: true })).map((chunk) => chunk.notePath).sort();

const FIRST = {
  'phrase.md': 'We slept at the homeless shelter that night.',
  'apart.md': 'The shelter was for the homeless.',
  'reversed.md': 'Shelter homeless people first.',
};

describe('phrase search', () => {
  it('finds the words in order, in indexed rows and in rows added after the index', async () => {
    const index = await NoteIndex.open(temp.dir, { dimensions: 16 });
    await index.writeNotes(await notes(FIRST));
    expect(await phrase(index, 'homeless shelter')).toEqual(['phrase.md']);
    await index.writeNotes(await notes({ 'later.md': 'A new homeless shelter opened.' }));
    expect(await phrase(index, 'Homeless  Shelter')).toEqual(['later.md', 'phrase.md']);
    await index.optimize();
    expect(await phrase(index, 'homeless shelter')).toEqual(['later.md', 'phrase.md']);
    expect(await index.upgradeFtsIndex()).toBe(false);
    await index.close();
  });

  it('builds the full-text index without word positions, which LanceDB cannot optimize once large', async () => {
    const index = await NoteIndex.open(temp.dir, { dimensions: 16 });
    await index.writeNotes(await notes(FIRST));
    await index.optimize();
    await index.close();
    const db = await connectLance(temp.dir);
    const chunks = await db.openTable(CHUNKS_TABLE);
    const probe = chunks.query().fullTextSearch(new PhraseQuery('homeless shelter', 'fts_text')).toArray();
    await expect(probe).rejects.toThrow(/position is not found/i);
    chunks.close();
    db.close();
  });

  it('gives the same answer on an index built with positions, and rebuilds it without them', async () => {
    const writer = await NoteIndex.open(temp.dir, { dimensions: 16 });
    await writer.writeNotes(await notes(FIRST));
    await writer.close();
    const db = await connectLance(temp.dir);
    const chunks = await db.openTable(CHUNKS_TABLE);
    await chunks.createIndex('fts_text', { config: Index.fts({ withPosition: true }), replace: true });
    chunks.close();
    db.close();
    const index = await NoteIndex.open(temp.dir, { dimensions: 16 });

    expect(await phrase(index, 'homeless shelter')).toEqual(['phrase.md']);
    expect(await index.upgradeFtsIndex()).toBe(true);
    expect(await index.upgradeFtsIndex()).toBe(false);
    expect(await phrase(index, 'homeless shelter')).toEqual(['phrase.md']);
    await index.close();
  });
});
