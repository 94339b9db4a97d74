import { describe, expect, it } from 'vitest';
import { autolinkCost } from './autolinkCost.ts';

describe('autolinkCost', () => {
  it('costs nothing without a link prefix and about its length for an ordinary link', () => {
    expect(autolinkCost('Plain words... with punctuation!!! and (brackets).')).toBe(0);
    const line = 'See https://example.com/a/b?q=1&amp;r=2#frag, and www.example.org.';
    expect(autolinkCost(line)).toBeGreaterThan(0);
    expect(autolinkCost(line)).toBeLessThan(2 * line.length);
  });

  it('grows with the square of a run of trailing punctuation in a link, character references too', () => {
    expect(autolinkCost(`http://a.b${'.'.repeat(1_000)}x`)).toBeGreaterThan(500_000);
    expect(autolinkCost(`http://a.b/${'&amp;'.repeat(200)}x`)).toBeGreaterThan(200 * 1_000);
    // The same run outside a link is never read as a link's trail.
    expect(autolinkCost(`Chapter one ${'.'.repeat(1_000)} 5`)).toBe(0);
  });

  it('counts the rest of the word again for every prefix in it (a failed link is tried again)', () => {
    const word = 'www._'.repeat(400);
    expect(autolinkCost(word)).toBeGreaterThan(400 * (word.length / 2));
    expect(autolinkCost('www.a.com www.b.com www.c.com')).toBeLessThan(60);
  });
});
