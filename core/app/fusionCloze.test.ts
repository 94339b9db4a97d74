import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SeededRandom } from '../base/index.ts';
import { NoteIndex } from '../store/index.ts';
import { FeatureHashingEncoder, makeNoteWrites, makeTempDir } from '../testing/index.ts';
import { scoreFusionCandidates } from './fusionChoice.ts';

/**
 * Notes written without sentence punctuation (keyword lists, transcripts, preprocessed abstracts
 * such as NFCorpus's) still give validation pairs: a span of words cut from inside a chunk. Without
 * them the fusion was never chosen for such notes and stayed at the default.
 */
const encoder = new FeatureHashingEncoder({ dimensions: 64 });
const NOTES = 80;

/** 50 lowercase words, no punctuation, drawn from a vocabulary of the note's own and shared words. */
function unpunctuated(note: number, random: SeededRandom): string {
  const own = Array.from({ length: 12 }, (_, i) => `w${note}x${i}`);
  const shared = ['study', 'patients', 'results', 'effect', 'risk', 'diet'];
  return Array.from({ length: 50 }, () =>
    random.next() < 0.7 ? own[random.int(own.length)]! : shared[random.int(shared.length)]!,
  ).join(' ');
}

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let index: NoteIndex;

beforeEach(async () => {
  temp = await makeTempDir();
  index = await NoteIndex.open(path.join(temp.dir, 'index'), { dimensions: 64 });
  const random = new SeededRandom(21);
  const specs = Array.from({ length: NOTES }, (_, i) => ({
    notePath: `n${i}.md`,
    sections: [unpunctuated(i, random)],
  }));
  await index.writeNotes(await makeNoteWrites(encoder, specs));
});

afterEach(async () => {
  await index.close();
  await temp.remove();
});

describe('validation pairs of unpunctuated notes', () => {
  it('are spans of words that find their own note', async () => {
    const scored = await scoreFusionCandidates(index, encoder, {
      targets: 40,
      distractors: 40,
      minPairs: 30,
      workDir: path.join(temp.dir, 'validation'),
    });
    expect(scored).toMatchObject({ notes: NOTES, pairs: 40 });
    const textAlone = scored!.candidates.find((c) => c.denseWeight === 0 && c.chunkEvidence === 0)!;
    const mrr = textAlone.reciprocalRanks.reduce((sum, rr) => sum + rr, 0) / textAlone.reciprocalRanks.length;
    // Each span holds words only its note has, and the rest of the note still holds them.
    expect(mrr).toBeGreaterThan(0.8);
  });
});
