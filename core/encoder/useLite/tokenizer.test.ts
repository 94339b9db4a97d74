import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { UNKNOWN_ID, UseLiteTokenizer, WORD_SEPARATOR } from './tokenizer.ts';
import type { Vocabulary } from './tokenizer.ts';
import { useLiteModelDir } from './weights.ts';

// The vocabulary of the reference tokenizer's own test suite (tfjs-models universal-sentence-encoder).
const STUB_VOCABULARY: Vocabulary = [
  ['�', 0],
  ['<s>', 0],
  ['</s>', 0],
  ['extra_token_id_1', 0],
  ['extra_token_id_2', 0],
  ['extra_token_id_3', 0],
  ['▁', -2],
  ['▁a', -1],
  ['▁ç', -2],
  ['a', -3],
  ['.', -1],
  ['▁I', -1],
  ['▁like', -1],
  ['▁it', -1],
  ['I', -2],
  ['like', -2],
  ['it', -2],
  ['l', -3],
  ['i', -3],
  ['k', -3],
  ['e', -3],
  ['i', -3],
  ['t', -3],
];

describe('UseLiteTokenizer on the reference test vocabulary', () => {
  const tokenizer = new UseLiteTokenizer(STUB_VOCABULARY);

  it('segments as the reference does', () => {
    expect(tokenizer.encodeRaw('Ilikeit.')).toEqual([11, 15, 16, 10]);
    expect(tokenizer.encodeRaw('I like it.')).toEqual([11, 12, 13, 10]);
  });

  it('normalises to NFKC', () => {
    expect(tokenizer.encodeRaw('ça')).toEqual(tokenizer.encodeRaw('c\u0327a'));
  });

  it('merges a run of unknown symbols into one unknown id', () => {
    expect(tokenizer.encodeRaw('a😹😹')).toEqual([7, UNKNOWN_ID]);
    expect(tokenizer.encodeRaw('😹')).toEqual([6, UNKNOWN_ID]);
  });
});

describe('UseLiteTokenizer on the USE-lite vocabulary', () => {
  let tokenizer: UseLiteTokenizer;
  const pieces = (ids: number[]): string => ids.map((id) => tokenizer.pieceOf(id)).join('');

  beforeAll(async () => {
    tokenizer = await UseLiteTokenizer.load(path.join(useLiteModelDir(), 'vocab.json'));
  });

  it('encodes known words to their pieces', () => {
    expect(tokenizer.vocabularySize).toBe(8000);
    expect(tokenizer.encode('the')).toEqual([9]);
    expect(tokenizer.encode('the to a')).toEqual([9, 10, 11]);
    expect(pieces(tokenizer.encode('Hello world.'))).toBe('▁Hello▁world.');
  });

  it('gives nothing for empty or blank text', () => {
    expect(tokenizer.encode('')).toEqual([]);
    expect(tokenizer.encodeRaw('')).toEqual([]);
    expect(tokenizer.encode(' \n\t ')).toEqual([]);
    expect(tokenizer.countTokens('')).toBe(0);
  });

  it('folds whitespace runs, which the raw reference keeps', () => {
    expect(tokenizer.encode('  new\n\n\tline   here ')).toEqual(tokenizer.encode('new line here'));
    expect(tokenizer.encodeRaw('new\nline')).toContain(UNKNOWN_ID);
    expect(tokenizer.encode('new\nline')).not.toContain(UNKNOWN_ID);
  });

  it('handles accents, full-width forms, CJK and emoji', () => {
    expect(tokenizer.encode('café')).toEqual(tokenizer.encode('cafe\u0301'));
    expect(tokenizer.encode('ＡＢＣ')).toEqual(tokenizer.encode('ABC'));
    const emoji = tokenizer.encode('ok 😹😹 ok');
    expect(emoji.filter((id) => id === UNKNOWN_ID)).toHaveLength(1);
    const cjk = tokenizer.encode('東京 is big');
    expect(cjk.length).toBeGreaterThan(2);
    expect(pieces(cjk.filter((id) => id !== UNKNOWN_ID))).toContain('▁is▁big');
  });

  it('covers the text exactly: the pieces join back to it', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9.,;:!?'()-]+( [A-Za-z0-9.,;:!?'()-]+)*$/), (text) => {
        const ids = tokenizer.encode(text);
        const folded = tokenizer.foldCase(text);
        expect(pieces(ids)).toBe(WORD_SEPARATOR + folded.replace(/ /g, WORD_SEPARATOR));
      }),
      { numRuns: 200 },
    );
  });

  it('lowercases text written in capitals, which the vocabulary splits into letters', () => {
    const caps = 'HEALTH CARE REFORM PASSES THE SENATE';
    expect(tokenizer.encodeRaw(caps).length).toBeGreaterThan(tokenizer.encode(caps).length + 3);
    expect(tokenizer.encode(caps)).toEqual(tokenizer.encode(caps.toLowerCase()));
    expect(tokenizer.foldsCase(caps)).toBe(true);
  });

  it('keeps capitalised words and acronyms in ordinary text', () => {
    // Gene names and acronyms read better as the model learned them (measured on dev queries).
    const mixed = 'The USA and NASA fund DNA and BRCA1 research with the WHO in Paris';
    expect(tokenizer.foldCase('Senate PASSES the HEALTH bill')).toBe('Senate PASSES the HEALTH bill');
    expect(tokenizer.foldCase(mixed)).toBe(mixed);
    expect(tokenizer.foldsCase(mixed)).toBe(false);
    expect(tokenizer.encode('USA')).toEqual(tokenizer.encodeRaw('USA'));
    expect(pieces(tokenizer.encode('Hello world.'))).toBe('▁Hello▁world.');
    expect(tokenizer.foldCase('lower case only')).toBe('lower case only');
  });

  it('counts tokens before truncation and truncates to maxTokens', () => {
    const long = 'word '.repeat(300);
    expect(tokenizer.maxTokens).toBe(128);
    expect(tokenizer.countTokens(long)).toBe(tokenizer.encode(long).length);
    expect(tokenizer.countTokens(long)).toBeGreaterThan(128);
    expect(tokenizer.encodeTruncated(long)).toEqual(tokenizer.encode(long).slice(0, 128));
  });
});
