import { describe, expect, it } from 'vitest';
import { sha256 } from '../base/index.ts';
import { splitQueries, unitHash } from './split.ts';

const ids = Array.from({ length: 2000 }, (_, i) => `q${i}`);

describe('splitQueries', () => {
  it('is deterministic and partitions the ids, keeping input order', () => {
    const a = splitQueries(ids, { testRatio: 0.2, seed: 's' });
    expect(splitQueries(ids, { testRatio: 0.2, seed: 's' })).toEqual(a);
    expect(a.train.length + a.test.length).toBe(ids.length);
    expect(new Set([...a.train, ...a.test]).size).toBe(ids.length);
    expect(a.test).toEqual(ids.filter((id) => a.test.includes(id)));
  });

  it('puts an id on the same side whatever the other ids are', () => {
    const full = splitQueries(ids, { testRatio: 0.3, seed: 'x' });
    const part = splitQueries(ids.slice(500, 700).reverse(), { testRatio: 0.3, seed: 'x' });
    const fullTest = new Set(full.test);
    expect(part.test.length).toBeGreaterThan(0);
    for (const id of part.test) expect(fullTest.has(id)).toBe(true);
    for (const id of part.train) expect(fullTest.has(id)).toBe(false);
  });

  it('follows the documented hash and roughly the ratio; the seed changes the split', () => {
    const key = 'seed-1\nq42';
    expect(unitHash(key)).toBe(Number.parseInt(sha256(key).slice(0, 8), 16) / 2 ** 32);
    const split = splitQueries(ids, { testRatio: 0.25, seed: 'seed-1' });
    expect(split.test.includes('q42')).toBe(unitHash(key) < 0.25);
    expect(split.test.length / ids.length).toBeGreaterThan(0.2);
    expect(split.test.length / ids.length).toBeLessThan(0.3);
    expect(splitQueries(ids, { testRatio: 0.25, seed: 'seed-2' }).test).not.toEqual(split.test);
  });

  it('handles the ends of the ratio range and rejects values outside it', () => {
    expect(splitQueries(ids, { testRatio: 0, seed: 's' }).test).toEqual([]);
    expect(splitQueries(ids, { testRatio: 1, seed: 's' }).train).toEqual([]);
    expect(() => splitQueries(ids, { testRatio: 1.5, seed: 's' })).toThrow(/testRatio/);
    expect(() => splitQueries(ids, { testRatio: Number.NaN, seed: 's' })).toThrow(/testRatio/);
  });
});
