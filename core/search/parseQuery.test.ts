import { describe, expect, it } from 'vitest';
import { parseQuery } from './parseQuery.ts';

describe('parseQuery', () => {
  it('keeps plain words as text', () => {
    expect(parseQuery('  hello   world ')).toEqual({ text: 'hello world', phrases: [], filters: {} });
  });

  it('extracts tags written both ways', () => {
    expect(parseQuery('tag:work #home-office plan')).toEqual({
      text: 'plan',
      phrases: [],
      filters: { tags: ['work', 'home-office'] },
    });
  });

  it('extracts folder and path operators, with quoted values', () => {
    const parsed = parseQuery('folder:abc path:"My Notes/**/*.md" budget');
    expect(parsed.filters).toEqual({ folderIds: ['abc'], pathGlob: 'My Notes/**/*.md' });
    expect(parsed.text).toBe('budget');
  });

  it('turns dates into local-day bounds: after excludes its day, before excludes its day', () => {
    const parsed = parseQuery('after:2024-01-31 before:2024-03-01 report');
    expect(parsed.filters.modifiedAfterMs).toBe(new Date(2024, 1, 1).getTime());
    expect(parsed.filters.modifiedBeforeMs).toBe(new Date(2024, 2, 1).getTime());
    expect(parsed.text).toBe('report');
  });

  it('keeps invalid dates and unknown operators as text', () => {
    expect(parseQuery('after:2024-02-30 http://x.org 12:30')).toEqual({
      text: 'after:2024-02-30 http://x.org 12:30',
      phrases: [],
      filters: {},
    });
  });

  it('extracts quoted phrases and keeps their words in the text', () => {
    expect(parseQuery('notes "exact  phrase" more "second"')).toEqual({
      text: 'notes exact phrase more second',
      phrases: ['exact phrase', 'second'],
      filters: {},
    });
  });

  it('treats an unterminated quote as a phrase to the end and ignores empty quotes', () => {
    expect(parseQuery('a "" b "open phrase')).toEqual({
      text: 'a b open phrase',
      phrases: ['open phrase'],
      filters: {},
    });
  });

  it('ignores operators without a value and a lone hash', () => {
    expect(parseQuery('tag: # word')).toEqual({ text: 'tag: # word', phrases: [], filters: {} });
  });

  it('accumulates repeated operators', () => {
    expect(parseQuery('folder:a folder:b tag:x').filters).toEqual({ folderIds: ['a', 'b'], tags: ['x'] });
  });
});
