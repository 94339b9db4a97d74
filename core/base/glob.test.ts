import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { DriftlessError } from './errors.ts';
import { compileGlob } from './glob.ts';

const PATHS = [
  'a.md',
  '.hidden.md',
  'notes/a.md',
  'notes/deep/b.txt',
  'deep/a/b/garden.md',
  'deep',
  'My Notes/x/y.md',
  'x/notes/a.md',
  'a/b',
  'ab',
  'a-b.org',
  'c[1].md',
  'é/ü.md',
];
const GLOBS = [
  '*.md',
  '**/*.md',
  'deep/**',
  '**/garden.md',
  'notes/*',
  'notes/**/*.txt',
  'My Notes/**/*.md',
  '?.md',
  'a?b',
  '[a-c]*.md',
  '[^a]*',
  '*.{md,txt}',
  '{notes,deep}/**',
  'notes/{a,deep/{b,c}}.{md,txt}',
  '**',
  'a/**/b',
  'c\\[1\\].md',
  '*/*/*/*',
  '**/a/**',
];

describe('compileGlob', () => {
  it('matches as picomatch with dot: true does on ordinary globs', () => {
    for (const glob of GLOBS) {
      const expected = picomatch(glob, { dot: true });
      const actual = compileGlob(glob);
      for (const path of PATHS) expect([glob, path, actual(path)]).toEqual([glob, path, expected(path)]);
    }
  });

  it('reads [!a] as POSIX does: one character other than a', () => {
    const test = compileGlob('[!a]*');
    expect([test('a.md'), test('b.md')]).toEqual([false, true]);
  });

  it('answers a glob built for backtracking against a long name (a ReDoS for a regex matcher)', () => {
    const test = compileGlob('**/*?*?*?*?*?*?*?*?z');
    expect(test(`notes/${'a'.repeat(60)}`)).toBe(false);
    expect(test(`notes/${'a'.repeat(60)}z`)).toBe(true);
    const long = compileGlob(`${'*a'.repeat(200)}*b`);
    expect(long('a'.repeat(4000))).toBe(false);
  });

  it('refuses globs that expand to too many alternatives or states, with a coded error', () => {
    expect(() => compileGlob('{a,b}'.repeat(8))).toThrow(DriftlessError);
    expect(() => compileGlob(`{${'a,'.repeat(100)}b}`)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
