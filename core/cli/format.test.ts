import { describe, expect, it } from 'vitest';
import { formatBytes, formatEta, renderSnippet, sanitize } from './format.ts';

describe('renderSnippet', () => {
  it('bolds highlighted ranges and keeps offsets across newlines', () => {
    expect(
      renderSnippet(
        'a\nbc def',
        [
          [2, 4],
          [5, 8],
        ],
        true,
      ),
    ).toBe('a \u001b[1mbc\u001b[22m \u001b[1mdef\u001b[22m');
    expect(renderSnippet('a\nbc def', [[2, 4]], false)).toBe('a bc def');
  });

  it('ignores overlapping and out-of-range highlights', () => {
    expect(
      renderSnippet(
        'abcdef',
        [
          [0, 3],
          [1, 2],
          [10, 12],
        ],
        true,
      ),
    ).toBe('\u001b[1mabc\u001b[22mdef');
  });

  it('neutralises terminal escape sequences from note text', () => {
    expect(sanitize('x\u001b[2Jy')).toBe('x [2Jy');
    // eslint-disable-next-line no-control-regex
    expect(renderSnippet('\u001b]0;title\u0007', [], true)).not.toMatch(/[\u0000-\u001f]/);
  });
});

describe('formatEta and formatBytes', () => {
  it('formats durations and sizes', () => {
    expect(formatEta(undefined)).toBe('?');
    expect(formatEta(12.4)).toBe('12s');
    expect(formatEta(185)).toBe('3m 05s');
    expect(formatEta(3720)).toBe('1h 02m');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
  });
});
