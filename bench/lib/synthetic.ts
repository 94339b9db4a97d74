import { seededRandom } from '../../core/base/index.ts';
import type { BeirDoc } from '../../core/eval/index.ts';

/** The seeded PRNG (mulberry32) the bench scripts draw synthetic data from. */
export { seededRandom as mulberry32 } from '../../core/base/index.ts';

export interface SyntheticOptions {
  notes: number;
  sectionsPerNote: number;
  /** Words per section body; default 60, which keeps a section within one chunk. */
  wordsPerSection?: number;
  vocabularySize?: number;
  seed?: number;
}

const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ne',
  'ru',
  'sa',
  'ti',
  'vo',
  'ze',
  'pa',
  'qu',
  'de',
  'fi',
  'go',
  'hu',
  'ja',
];

/**
 * Deterministic synthetic notes for index benchmarks: each has a title and `sectionsPerNote` `##`
 * sections of pseudo-words drawn from a fixed vocabulary with a Zipf-like skew (so full-text indexes
 * see realistic term frequencies). The same options always give the same notes.
 */
export function* syntheticNotes(options: SyntheticOptions): Generator<BeirDoc> {
  const random = seededRandom(options.seed ?? 1);
  const vocabulary = makeVocabulary(options.vocabularySize ?? 5000, random);
  const word = () => vocabulary[Math.floor(vocabulary.length * random() ** 3)] ?? 'ka';
  const words = (n: number) => Array.from({ length: n }, word).join(' ');
  for (let i = 0; i < options.notes; i++) {
    const sections = Array.from(
      { length: options.sectionsPerNote },
      (_, s) => `## ${words(3)} ${s + 1}\n\n${words(options.wordsPerSection ?? 60)}.\n`,
    );
    yield { id: `syn-${String(i).padStart(6, '0')}`, title: `${words(4)}`, text: sections.join('\n') };
  }
}

/** `size` distinct pseudo-words of 2 to 4 syllables. */
export function makeVocabulary(size: number, random: () => number): string[] {
  const words = new Set<string>();
  while (words.size < size) {
    const length = 2 + Math.floor(random() * 3);
    words.add(Array.from({ length }, () => SYLLABLES[Math.floor(random() * SYLLABLES.length)]).join(''));
  }
  return [...words];
}
