import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NoteIndex } from '../store/index.ts';
import { FeatureHashingEncoder, makeNoteWrites, makeTempDir } from '../testing/index.ts';
import { scoreFusionCandidates } from './fusionChoice.ts';

/**
 * The fusion check picks a few hundred validation notes from a collection of any size: it reads
 * those notes, not every row of the index (which held the thread that serves search for a second
 * at 20k chunks).
 */
const encoder = new FeatureHashingEncoder({ dimensions: 32 });
const WORDS =
  'compost tomatoes sourdough starter kubernetes pods hiking boots guitar chords chess pawns'.split(' ');
const NOTES = 400;

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let index: NoteIndex;

/** Three sentences of six words, different for every note and section. */
function section(note: number, part: number): string {
  const word = (i: number) => WORDS[(note * 7 + part * 3 + i * 5) % WORDS.length]!;
  const sentence = (s: number) =>
    `${Array.from({ length: 6 }, (_, i) => word(i + s)).join(' ')} ${note}x${part}.`;
  return [0, 1, 2].map(sentence).join(' ');
}

beforeEach(async () => {
  temp = await makeTempDir();
  index = await NoteIndex.open(path.join(temp.dir, 'index'), { dimensions: 32 });
  const specs = Array.from({ length: NOTES }, (_, i) => ({
    notePath: `n${i}.md`,
    sections: [section(i, 0), section(i, 1)],
  }));
  await index.writeNotes(await makeNoteWrites(encoder, specs));
});

afterEach(async () => {
  vi.restoreAllMocks();
  await index.close();
  await temp.remove();
});

describe('scoreFusionCandidates', () => {
  it('reads only the notes it picks, not the whole index', async () => {
    const whole = vi.spyOn(index, 'filterSearch');
    const picked = vi.spyOn(index, 'chunksOfNotes');
    const scored = await scoreFusionCandidates(index, encoder, {
      targets: 30,
      distractors: 10,
      minPairs: 30,
      workDir: path.join(temp.dir, 'validation'),
    });
    expect(scored).toMatchObject({ notes: NOTES, pairs: 30 });
    expect(whole).not.toHaveBeenCalled();
    const notesRead = picked.mock.calls.reduce((sum, [keys]) => sum + keys.length, 0);
    expect(notesRead).toBeGreaterThanOrEqual(40);
    expect(notesRead).toBeLessThan(NOTES / 4);
  });
});
