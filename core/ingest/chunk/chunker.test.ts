import { describe, expect, it } from 'vitest';
import type { TokenCounter } from '../../encoder/index.ts';
import { chunkEmbeddingText, chunkNote, loadNoteParsers } from '../index.ts';
import type { NoteChunk, ParsedNote } from '../types.ts';

const { parseNote } = await loadNoteParsers();

/** One token per whitespace-separated word; records how many characters it was asked to count. */
class WordCounter implements TokenCounter {
  countedChars = 0;
  constructor(readonly maxTokens: number) {}
  countTokens(text: string): number {
    this.countedChars += text.length;
    return text.split(/\s+/).filter(Boolean).length;
  }
}

/** Like a subword tokenizer on long strings: one token per 4 characters of each word. */
class CharCounter implements TokenCounter {
  constructor(readonly maxTokens: number) {}
  countTokens(text: string): number {
    return text
      .split(/\s+/)
      .filter(Boolean)
      .reduce((sum, word) => sum + Math.ceil(word.length / 4), 0);
  }
}

function sentences(count: number, prefix = 's'): string {
  return Array.from({ length: count }, (_, i) => `${prefix}${i} has five words here.`).join(' ');
}

function plainNote(text: string): ParsedNote {
  return {
    title: 'T',
    text,
    tags: [],
    aliases: [],
    links: [],
    sections: [{ headingPath: [], start: 0, end: text.length }],
  };
}

function expectExactOffsets(note: ParsedNote, chunks: NoteChunk[]): void {
  chunks.forEach((chunk, i) => {
    expect(chunk.text).toBe(note.text.slice(chunk.start, chunk.end));
    expect(chunk.ordinal).toBe(i);
  });
}

describe('chunkNote', () => {
  it('keeps small sections whole, one chunk each, with their heading paths', () => {
    const note = parseNote('n.md', 'Intro.\n\n# A\n\nAlpha text.\n\n## B\n\nBeta text.');
    const chunks = chunkNote(note, new WordCounter(100));
    expect(chunks.map((c) => [c.headingPath, c.text])).toEqual([
      [[], 'Intro.'],
      [['A'], 'A\n\nAlpha text.'],
      [['A', 'B'], 'B\n\nBeta text.'],
    ]);
    expectExactOffsets(note, chunks);
  });

  it('never exceeds maxTokens, overlaps neighbours a little, and covers every word', () => {
    const note = plainNote(`${sentences(40)}\n\n${sentences(30, 'p')}`);
    const counter = new WordCounter(512);
    const chunks = chunkNote(note, counter, { maxTokens: 23, overlapTokens: 5 });
    expect(chunks.length).toBeGreaterThan(10);
    for (const chunk of chunks) expect(counter.countTokens(chunk.text)).toBeLessThanOrEqual(23);
    expectExactOffsets(note, chunks);
    const overlapping = chunks.slice(1).filter((chunk, i) => chunk.start < chunks[i]!.end);
    expect(overlapping.length).toBeGreaterThan(0);
    for (const [i, chunk] of chunks.slice(1).entries()) {
      const previous = chunks[i]!;
      if (chunk.start < previous.end)
        expect(counter.countTokens(note.text.slice(chunk.start, previous.end))).toBeLessThanOrEqual(5);
    }
    const covered = new Set(chunks.flatMap((c) => c.text.split(/\s+/)));
    for (const word of note.text.split(/\s+/)) expect(covered.has(word)).toBe(true);
  });

  it('defaults to the counter limit minus room for context, and splits at sentence ends', () => {
    const note = plainNote(sentences(100));
    const chunks = chunkNote(note, new WordCounter(64), { overlapTokens: 0 });
    for (const chunk of chunks) {
      expect(new WordCounter(0).countTokens(chunk.text)).toBeLessThanOrEqual(64 - 8);
      expect(chunk.text.endsWith('here.')).toBe(true);
      expect(chunk.text.startsWith('s')).toBe(true);
    }
    for (const [i, chunk] of chunks.slice(1).entries()) expect(chunk.start).toBeGreaterThan(chunks[i]!.end);
  });

  it('counts per-input special tokens once per chunk, not once per piece', () => {
    const words = new WordCounter(512);
    const withSpecials: TokenCounter = { maxTokens: 512, countTokens: (text) => words.countTokens(text) + 2 };
    const note = plainNote(Array.from({ length: 300 }, (_, i) => `w${i}`).join(' '));
    const chunks = chunkNote(note, withSpecials, { maxTokens: 22, overlapTokens: 0 });
    for (const chunk of chunks) expect(withSpecials.countTokens(chunk.text)).toBeLessThanOrEqual(22);
    expect(chunks.slice(0, -1).every((chunk) => withSpecials.countTokens(chunk.text) === 22)).toBe(true);
  });

  it('cuts a single over-long word by characters when nothing else fits', () => {
    const blob = 'x'.repeat(1000) + '\u{1F600}'.repeat(50);
    const note = plainNote(`before ${blob} after`);
    const counter = new CharCounter(16);
    const chunks = chunkNote(note, counter, { maxTokens: 16, overlapTokens: 0 });
    for (const chunk of chunks) expect(counter.countTokens(chunk.text)).toBeLessThanOrEqual(16);
    expectExactOffsets(note, chunks);
    expect(chunks.map((c) => c.text.replace(/\s/g, '')).join('')).toBe(note.text.replace(/\s/g, ''));
    for (const chunk of chunks) expect(chunk.text).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
  });

  it('gives identical content identical ids and changes only the edited chunk', () => {
    const paragraphs = Array.from({ length: 8 }, (_, i) => `Paragraph ${i} says one two three four.`);
    const before = plainNote(paragraphs.join('\n\n'));
    const edited = [...paragraphs];
    edited[5] = 'Paragraph 5 says one two THREE four.';
    const after = plainNote(edited.join('\n\n'));
    const counter = new WordCounter(512);
    const options = { maxTokens: 14, overlapTokens: 0 };
    const idsBefore = chunkNote(before, counter, options).map((c) => c.chunkId);
    const again = chunkNote(plainNote(paragraphs.join('\n\n')), counter, options).map((c) => c.chunkId);
    const idsAfter = chunkNote(after, counter, options).map((c) => c.chunkId);
    expect(again).toEqual(idsBefore);
    expect(idsAfter).toHaveLength(idsBefore.length);
    const differing = idsAfter.filter((id, i) => id !== idsBefore[i]);
    expect(differing).toHaveLength(1);
    expect(idsAfter.indexOf(differing[0]!)).toBe(2);
  });

  it('includes the heading path in the id and keeps repeated content distinct', () => {
    const note = parseNote('r.md', '# A\n\n## X\n\nsame\n\n# B\n\n## X\n\nsame');
    const chunks = chunkNote(note, new WordCounter(100));
    expect(chunks[1]!.text).toBe(chunks[3]!.text);
    expect(chunks[1]!.chunkId).not.toBe(chunks[3]!.chunkId);
    const twice = chunkNote(plainNote('dup'), new WordCounter(100));
    const repeated: ParsedNote = {
      ...plainNote('dup\n\ndup'),
      sections: [
        { headingPath: [], start: 0, end: 3 },
        { headingPath: [], start: 5, end: 8 },
      ],
    };
    const ids = chunkNote(repeated, new WordCounter(100)).map((c) => c.chunkId);
    expect(ids[0]).toBe(twice[0]!.chunkId);
    expect(ids[1]).not.toBe(ids[0]);
  });

  it('returns no chunks for an empty note', () => {
    expect(chunkNote(parseNote('e.md', '   \n\n'), new WordCounter(10))).toEqual([]);
  });

  it('stays linear on a large note: each character is counted a bounded number of times', () => {
    const paragraph = `${sentences(20)}\n${'word '.repeat(300)}`;
    const text = Array.from({ length: 600 }, () => paragraph).join('\n\n');
    expect(text.length).toBeGreaterThan(1_000_000);
    const counter = new WordCounter(128);
    const chunks = chunkNote(plainNote(text), counter);
    expect(chunks.length).toBeGreaterThan(text.length / 1500);
    expect(counter.countedChars).toBeLessThan(text.length * 8);
  });
});

describe('chunkEmbeddingText', () => {
  const chunk = (headingPath: string[], text: string): NoteChunk => ({
    chunkId: 'x',
    ordinal: 0,
    headingPath,
    text,
    start: 0,
    end: text.length,
  });

  it('puts title and heading path before the chunk text', () => {
    expect(chunkEmbeddingText('Garden', chunk(['Plants', 'Tomatoes'], 'Water daily.'))).toBe(
      'Garden › Plants › Tomatoes\n\nWater daily.',
    );
  });

  it('does not repeat a heading the chunk starts with, or a top heading equal to the title', () => {
    expect(chunkEmbeddingText('Garden', chunk(['Garden', 'Tomatoes'], 'Tomatoes\n\nWater daily.'))).toBe(
      'Garden\n\nTomatoes\n\nWater daily.',
    );
  });

  it('keeps the context line short', () => {
    const text = chunkEmbeddingText('t'.repeat(500), chunk(['h'.repeat(300)], 'body'));
    expect(text.split('\n\n')[0]!.length).toBeLessThanOrEqual(160);
    expect(text.endsWith('\n\nbody')).toBe(true);
  });
});
