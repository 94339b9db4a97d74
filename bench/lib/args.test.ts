import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DriftlessError } from '../../core/base/index.ts';
import { parseIndexArgs, parseModes, parseRetrievalArgs } from './args.ts';

describe('parseRetrievalArgs', () => {
  it('applies defaults', () => {
    expect(parseRetrievalArgs(['data/scifact'])).toEqual({
      datasetDir: path.resolve('data/scifact'),
      split: 'test',
      modes: ['text', 'dense', 'hybrid'],
      limitQueries: undefined,
      dataDir: undefined,
      notesDir: undefined,
      out: undefined,
      excludeSelf: 'auto',
      keep: false,
    });
  });

  it('reads every option', () => {
    const args = parseRetrievalArgs([
      'ds',
      '--split',
      'dev',
      '--modes',
      'hybrid, text,hybrid',
      '--limit-queries',
      '50',
      '--data-dir',
      'd',
      '--notes-dir=n',
      '--out',
      'r.json',
      '--exclude-self',
      'on',
      '--keep',
    ]);
    expect(args).toMatchObject({
      split: 'dev',
      modes: ['hybrid', 'text'],
      limitQueries: 50,
      dataDir: path.resolve('d'),
      notesDir: path.resolve('n'),
      out: path.resolve('r.json'),
      excludeSelf: 'on',
      keep: true,
    });
  });

  it('rejects bad input with INVALID_ARGUMENT and the usage line', () => {
    const cases = [
      [],
      ['a', 'b'],
      ['ds', '--modes', 'sparse'],
      ['ds', '--modes', ','],
      ['ds', '--limit-queries', '0'],
      ['ds', '--limit-queries', 'ten'],
      ['ds', '--exclude-self', 'maybe'],
      ['ds', '--unknown'],
    ];
    for (const argv of cases) {
      const error = (() => {
        try {
          parseRetrievalArgs(argv);
        } catch (e) {
          return e;
        }
      })();
      expect(error, argv.join(' ')).toBeInstanceOf(DriftlessError);
      expect((error as DriftlessError).code).toBe('INVALID_ARGUMENT');
    }
    expect(() => parseRetrievalArgs([])).toThrow(/usage: bench:retrieval/);
  });
});

describe('parseIndexArgs', () => {
  it('defaults to skipping the synthetic phase and accepts digit separators', () => {
    expect(parseIndexArgs(['ds'])).toMatchObject({
      syntheticChunks: 0,
      sectionsPerNote: 20,
      querySample: 100,
    });
    expect(parseIndexArgs(['ds', '--synthetic-chunks', '100_000'])).toMatchObject({
      syntheticChunks: 100000,
    });
  });

  it('rejects non-positive sections and unknown flags', () => {
    expect(() => parseIndexArgs(['ds', '--sections-per-note', '0'])).toThrow(/--sections-per-note/);
    expect(() => parseIndexArgs(['ds', '--modes', 'text'])).toThrow(/usage: bench:index/);
  });
});

describe('parseModes', () => {
  it('keeps the given order and drops repeats', () => {
    expect(parseModes('dense,text,dense')).toEqual(['dense', 'text']);
  });
});
