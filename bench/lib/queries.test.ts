import { describe, expect, it } from 'vitest';
import { hitsToDocIds } from './hits.ts';
import { judgedQueries, resolveExcludeSelf, sampleQueries } from './queries.ts';

const queries = [
  { id: 'q1', text: 'one' },
  { id: 'q2', text: 'two' },
  { id: 'q3', text: 'three' },
  { id: 'q4', text: 'four' },
];
const qrels = new Map([
  ['q3', new Map([['d1', 1]])],
  ['q1', new Map([['d2', 2]])],
  ['q2', new Map([['d3', 0]])],
]);

describe('query selection', () => {
  it('keeps judged queries with a relevant doc, in file order, up to the limit', () => {
    expect(judgedQueries({ queries, qrels }).map((q) => q.id)).toEqual(['q1', 'q3']);
    expect(judgedQueries({ queries, qrels }, 1).map((q) => q.id)).toEqual(['q1']);
  });

  it('samples the same queries whatever the input order, and larger samples contain smaller ones', () => {
    const small = sampleQueries(queries, 2).map((q) => q.id);
    expect(sampleQueries([...queries].reverse(), 2).map((q) => q.id)).toEqual(small);
    expect(
      sampleQueries(queries, 3)
        .map((q) => q.id)
        .slice(0, 2),
    ).toEqual(small);
    expect(sampleQueries(queries, 10)).toHaveLength(4);
  });

  it('turns excludeSelf on automatically when most queries are corpus documents with their text', () => {
    const texts = new Map(queries.map((query) => [query.id, `${query.text} and more of the document`]));
    expect(resolveExcludeSelf('auto', queries, texts)).toBe(true);
    const half = new Map([...texts].slice(0, 2));
    expect(resolveExcludeSelf('auto', queries, half)).toBe(false);
    expect(resolveExcludeSelf('off', queries, texts)).toBe(false);
    expect(resolveExcludeSelf('on', queries, new Map())).toBe(true);
    expect(resolveExcludeSelf('auto', [], texts)).toBe(false);
  });

  it('keeps excludeSelf off when queries and documents are only numbered alike (CISI, CACM)', () => {
    const numbered = new Map(
      queries.map((query) => [query.id, 'an unrelated document about something else']),
    );
    expect(resolveExcludeSelf('auto', queries, numbered)).toBe(false);
  });
});

describe('hitsToDocIds', () => {
  it('maps notes to docs in rank order, once each, counting hits on other notes', () => {
    const noteToDoc = new Map([
      ['a.md', 'A'],
      ['sub/b.md', 'B'],
    ]);
    const hits = [
      { notePath: 'sub\\b.md' },
      { notePath: 'stray.md' },
      { notePath: 'a.md' },
      { notePath: 'sub/b.md' },
    ];
    expect(hitsToDocIds(hits, noteToDoc)).toEqual({ docIds: ['B', 'A'], unmapped: 1 });
  });
});
