import { describe, expect, it } from 'vitest';
import { SeededRandom, seededRandom } from './random.ts';

describe('seeded random (mulberry32)', () => {
  it('gives the mulberry32 sequence for a seed', () => {
    const random = seededRandom(1);
    expect([random(), random(), random()]).toEqual([
      0.6270739405881613, 0.002735721180215478, 0.5274470399599522,
    ]);
  });

  it('continues the same sequence from a stored state', () => {
    const first = new SeededRandom(42);
    first.next();
    const resumed = new SeededRandom(first.state);
    expect([resumed.next(), resumed.next()]).toEqual([first.next(), first.next()]);
  });

  it('uses every seed as it is, 0 included, in both forms', () => {
    const fromClass = new SeededRandom(0);
    const fromFunction = seededRandom(0);
    const first = [fromClass.next(), fromClass.next(), fromClass.next()];
    expect(first).toEqual([fromFunction(), fromFunction(), fromFunction()]);
    expect(new Set(first).size).toBe(3);
    expect(first).not.toEqual([seededRandom(1)(), seededRandom(1)(), seededRandom(1)()]);
  });

  it('shuffles and samples deterministically without losing items', () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    const shuffled = new SeededRandom(7).shuffle(items);
    expect(shuffled).toEqual(new SeededRandom(7).shuffle(items));
    expect(shuffled).not.toEqual(items);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
    expect(new SeededRandom(7).sample(items, 5)).toEqual(shuffled.slice(0, 5));
  });
});
