import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NoteIndex } from '../store/index.ts';
import { FeatureHashingEncoder, makeNoteWrites, makeTempDir } from '../testing/index.ts';
import { upgradeNoteDates } from './noteDatesUpgrade.ts';

const encoder = new FeatureHashingEncoder({ dimensions: 16 });
const MTIME = Date.UTC(2026, 11, 7);
let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => (temp = await makeTempDir()));
afterEach(() => temp.remove());

describe('upgradeNoteDates', () => {
  it('gives notes indexed with their mtime their own date, once, without rewriting them', async () => {
    const root = path.join(temp.dir, 'notes');
    await fs.mkdir(root);
    const files = {
      'dated.md': '---\ndate: 2021-03-04\n---\nGarden plan.',
      '2023-05-08 session.md': 'Garden session.',
      'plain.md': 'Garden notes.',
    };
    for (const [name, text] of Object.entries(files)) await fs.writeFile(path.join(root, name), text);
    const index = await NoteIndex.open(path.join(temp.dir, 'index'), { dimensions: 16 });
    const specs = Object.entries(files).map(([notePath, text]) => ({
      notePath,
      sections: [text],
      modifiedMs: MTIME,
    }));
    await index.writeNotes(await makeNoteWrites(encoder, specs));
    const folder = { id: 'f1', root, addedMs: 0 };
    const marker = path.join(temp.dir, 'note-dates.json');

    expect(await upgradeNoteDates(marker, [folder], index, 1_000_000)).toBe(2);
    const dates = new Map(
      (await index.filterSearch({ k: 100 })).map((chunk) => [chunk.notePath, chunk.modifiedMs]),
    );
    expect(Object.fromEntries(dates)).toEqual({
      'dated.md': new Date(2021, 2, 4).getTime(),
      '2023-05-08 session.md': new Date(2023, 4, 8).getTime(),
      'plain.md': MTIME,
    });
    await fs.writeFile(path.join(root, 'plain.md'), '---\ndate: 2020-01-01\n---\nLater edit.');
    expect(await upgradeNoteDates(marker, [folder], index, 1_000_000)).toBe(0);
    await index.close();
  });
});
