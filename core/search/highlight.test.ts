import { describe, expect, it } from 'vitest';
import { findRanges, makeSnippet, matcher } from './highlight.ts';

const marked = (text: string, ranges: Array<[number, number]>) =>
  ranges.map(([from, to]) => text.slice(from, to));

describe('highlights', () => {
  it('matches whole words, ignoring case, and skips stop words', () => {
    const text = 'The Cat sat; a category of cats. CAT!';
    expect(marked(text, findRanges(text, matcher(['the cat'], [])))).toEqual(['Cat', 'CAT']);
  });

  it('leaves question words, auxiliaries and pronouns unmarked', () => {
    const text = 'What did her sourdough starter do? Her starter did rise.';
    const ranges = findRanges(text, matcher(['what did her sourdough starter do'], []));
    expect(marked(text, ranges)).toEqual(['sourdough', 'starter', 'starter']);
  });

  it('marks stop words when the query has nothing else', () => {
    const text = 'To be or not to be.';
    expect(marked(text, findRanges(text, matcher(['to be'], [])))).toEqual(['To', 'be', 'to', 'be']);
  });

  it('matches phrases across whitespace and punctuation as one range', () => {
    const text = 'Use the exact\nphrase here, not exact alone.';
    const ranges = findRanges(text, matcher(['exact phrase'], ['exact phrase']));
    expect(marked(text, ranges)).toEqual(['exact\nphrase', 'exact']);
  });

  it('escapes regex characters in terms and handles non-Latin words', () => {
    const text = 'c++ (x+y) Größe größe';
    expect(marked(text, findRanges(text, matcher(['x+y größe'], [])))).toEqual(['x', 'y', 'Größe', 'größe']);
  });

  it('returns no ranges without terms', () => {
    expect(findRanges('anything', matcher(['the of'], []))).toEqual([]);
  });
});

describe('makeSnippet', () => {
  it('returns short text whole with offsets into it', () => {
    const { snippet, highlights } = makeSnippet('Otters hold hands.', matcher(['hands'], []));
    expect(snippet).toBe('Otters hold hands.');
    expect(marked(snippet, highlights)).toEqual(['hands']);
  });

  it('centres a long text on the first match, cut at word boundaries with ellipses', () => {
    const text = `${'lorem ipsum '.repeat(30)}the walrus appears here ${'dolor sit '.repeat(40)}`;
    const { snippet, highlights } = makeSnippet(text, matcher(['walrus'], []), 120);
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet.length).toBeLessThanOrEqual(122);
    expect(snippet).toMatch(/^…\S/);
    expect(snippet).toMatch(/\S…$/);
    expect(marked(snippet, highlights)).toEqual(['walrus']);
  });

  it('starts at the beginning when nothing matches', () => {
    const { snippet, highlights } = makeSnippet('alpha beta gamma', matcher(['zeta'], []), 11);
    expect(snippet).toBe('alpha beta…');
    expect(highlights).toEqual([]);
  });
});
