import { describe, expect, it } from 'vitest';
import { makeVocabulary, mulberry32, syntheticNotes } from './synthetic.ts';

describe('syntheticNotes', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = [...syntheticNotes({ notes: 3, sectionsPerNote: 4, seed: 7 })];
    expect([...syntheticNotes({ notes: 3, sectionsPerNote: 4, seed: 7 })]).toEqual(a);
    expect([...syntheticNotes({ notes: 3, sectionsPerNote: 4, seed: 8 })]).not.toEqual(a);
  });

  it('gives each note the asked number of sections with the asked number of body words', () => {
    const notes = [...syntheticNotes({ notes: 2, sectionsPerNote: 5, wordsPerSection: 12 })];
    expect(notes.map((n) => n.id)).toEqual(['syn-000000', 'syn-000001']);
    for (const note of notes) {
      const sections = note.text.split('\n').filter((line) => line.startsWith('## '));
      expect(sections).toHaveLength(5);
      const bodies = note.text.split('\n').filter((line) => line !== '' && !line.startsWith('## '));
      for (const body of bodies) expect(body.split(' ')).toHaveLength(12);
      expect(note.title.split(' ')).toHaveLength(4);
    }
  });

  it('builds a vocabulary of distinct words', () => {
    const words = makeVocabulary(300, mulberry32(1));
    expect(new Set(words).size).toBe(300);
    for (const word of words) expect(word).toMatch(/^[a-z]{4,8}$/);
  });

  it('draws uniform numbers in [0, 1)', () => {
    const random = mulberry32(42);
    const draws = Array.from({ length: 1000 }, random);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    expect(draws.reduce((a, b) => a + b, 0) / draws.length).toBeGreaterThan(0.4);
  });
});
