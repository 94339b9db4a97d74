import type { BeirDoc } from '../../core/eval/index.ts';

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
  const random = mulberry32(options.seed ?? 1);
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

/** A small seeded PRNG (mulberry32): uniform in [0, 1), same sequence for the same seed. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
