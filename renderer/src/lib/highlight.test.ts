import { describe, expect, it } from 'vitest';
import { snippetSegments } from './highlight.ts';

describe('snippetSegments', () => {
  it('splits a snippet into plain and marked runs', () => {
    expect(snippetSegments('feed the starter daily', [[9, 16]])).toEqual([
      { text: 'feed the ', mark: false },
      { text: 'starter', mark: true },
      { text: ' daily', mark: false },
    ]);
  });

  it('merges overlapping and unsorted ranges and clamps out-of-bounds ones', () => {
    expect(
      snippetSegments('abcdefgh', [
        [5, 99],
        [1, 3],
        [2, 4],
        [-5, 0],
      ]),
    ).toEqual([
      { text: 'a', mark: false },
      { text: 'bcd', mark: true },
      { text: 'e', mark: false },
      { text: 'fgh', mark: true },
    ]);
  });

  it('keeps markup in note text as text, in one run', () => {
    expect(snippetSegments('<b>x</b>', [])).toEqual([{ text: '<b>x</b>', mark: false }]);
  });
});
