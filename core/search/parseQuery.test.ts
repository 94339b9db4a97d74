import { describe, expect, it } from 'vitest';
import { parseQuery } from './parseQuery.ts';

const plain = { phrases: [], requiredPhrases: [], excluded: [], folders: [], chips: [], problems: [] };

describe('parseQuery', () => {
  it('keeps plain words as text', () => {
    expect(parseQuery('  hello   world ')).toEqual({ ...plain, text: 'hello world', filters: {} });
  });

  it('extracts tags written both ways', () => {
    const parsed = parseQuery('tag:work #home-office plan');
    expect(parsed.filters).toEqual({ tags: ['work', 'home-office'] });
    expect(parsed.text).toBe('plan');
    expect(parsed.chips).toEqual([
      { kind: 'tag', label: '#work' },
      { kind: 'tag', label: '#home-office' },
    ]);
  });

  it('takes folder names as typed, for the caller to resolve, and path globs as written', () => {
    const parsed = parseQuery('folder:journal path:"My Notes/**/*.md" budget');
    expect(parsed.folders).toEqual(['journal']);
    expect(parsed.filters).toEqual({ pathGlob: 'My Notes/**/*.md' });
    expect(parsed.text).toBe('budget');
  });

  it('reads a path without glob characters as that folder', () => {
    expect(parseQuery('path:conv30').filters.pathGlob).toBe('{conv30,conv30/**}');
    expect(parseQuery('path:work/conv30/').filters.pathGlob).toBe('{work/conv30,work/conv30/**}');
    expect(parseQuery('path:conv30').chips).toEqual([{ kind: 'path', label: 'in conv30/' }]);
  });

  it('turns dates into local-day bounds: after excludes its day, before excludes its day', () => {
    const parsed = parseQuery('after:2024-01-31 before:2024-03-01 report');
    expect(parsed.filters.modifiedAfterMs).toBe(new Date(2024, 1, 1).getTime());
    expect(parsed.filters.modifiedBeforeMs).toBe(new Date(2024, 2, 1).getTime());
    expect(parsed.text).toBe('report');
  });

  it('takes months and years as periods', () => {
    const parsed = parseQuery('after:2023 before:2024-06');
    expect(parsed.filters.modifiedAfterMs).toBe(new Date(2024, 0, 1).getTime());
    expect(parsed.filters.modifiedBeforeMs).toBe(new Date(2024, 5, 1).getTime());
  });

  it('names each bad operator instead of dropping it', () => {
    const { problems, text } = parseQuery('after:notadate before:2024-02-30 path:[ path:a{b tag: x');
    expect(problems).toEqual([
      expect.stringMatching(/^after:notadate is not a date: write a day as YYYY-MM-DD/),
      expect.stringMatching(/^before:2024-02-30 is not a date/),
      'path:[ is not a path pattern we can use: a “[” is never closed with “]”.',
      'path:a{b is not a path pattern we can use: a “{” is never closed with “}”.',
      'tag: needs a value, such as tag:work.',
    ]);
    expect(text).toBe('x');
  });

  it('keeps unknown key:value words as text', () => {
    expect(parseQuery('http://x.org 12:30 say:"hi there"')).toMatchObject({
      text: 'http://x.org 12:30 say:"hi there"',
      problems: [],
    });
  });

  it('extracts quoted phrases, keeps their words in the text and requires each', () => {
    const parsed = parseQuery('notes "exact  phrase" more "second"');
    expect(parsed).toMatchObject({
      text: 'notes exact phrase more second',
      phrases: ['exact phrase', 'second'],
      requiredPhrases: [['exact phrase'], ['second']],
    });
    expect(parsed.chips).toEqual([
      { kind: 'phrase', label: '“exact phrase”' },
      { kind: 'phrase', label: '“second”' },
    ]);
  });

  it('treats an unterminated quote as a phrase to the end and ignores empty quotes', () => {
    expect(parseQuery('a "" b "open phrase')).toMatchObject({
      text: 'a b open phrase',
      phrases: ['open phrase'],
    });
  });

  it('excludes -word and -"phrase" and keeps them out of the text', () => {
    const parsed = parseQuery('coffee -espresso -"cold brew" -5 well-known');
    expect(parsed.excluded).toEqual(['espresso', 'cold brew']);
    expect(parsed.text).toBe('coffee -5 well-known');
    expect(parsed.chips).toEqual([
      { kind: 'exclude', label: 'not espresso' },
      { kind: 'exclude', label: 'not “cold brew”' },
    ]);
  });

  it('lets OR join phrases into one requirement and drops it from the text', () => {
    const parsed = parseQuery('"homeless shelter" OR "food bank" volunteer');
    expect(parsed.requiredPhrases).toEqual([['homeless shelter', 'food bank']]);
    expect(parsed.text).toBe('homeless shelter food bank volunteer');
    expect(parsed.chips).toEqual([{ kind: 'anyOf', label: '“homeless shelter” or “food bank”' }]);
  });

  it('keeps OR with nothing before it as a word', () => {
    expect(parseQuery('OR wine').text).toBe('OR wine');
  });

  it('refuses an operator written to exclude', () => {
    expect(parseQuery('-tag:work').problems).toEqual([
      '-tag:work cannot exclude: leave out the “-” or the operator.',
    ]);
  });

  it('accumulates repeated operators', () => {
    const parsed = parseQuery('folder:a folder:b tag:x');
    expect(parsed.folders).toEqual(['a', 'b']);
    expect(parsed.filters).toEqual({ tags: ['x'] });
  });

  it('reads plain text without refusing or filtering, keeping valid operators', () => {
    const parsed = parseQuery('"cold brew" -ice OR after:notadate before:2024 -tag:x', 'plain');
    expect(parsed).toMatchObject({
      text: 'cold brew -ice OR after:notadate -tag:x',
      phrases: ['cold brew'],
      requiredPhrases: [],
      excluded: [],
      problems: [],
    });
    expect(parsed.filters.modifiedBeforeMs).toBe(new Date(2024, 0, 1).getTime());
  });
});
