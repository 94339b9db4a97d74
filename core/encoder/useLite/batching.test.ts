import { describe, expect, it } from 'vitest';
import { bucketByLength, toDenseInputs } from './batching.ts';

describe('bucketByLength', () => {
  const lengths = [5, 1, 0, 9, 3, 9, 2];
  const encoded = lengths.map((n, i) => Array.from({ length: n }, () => i + 10));

  it('covers every input once and keeps each with its position', () => {
    const batches = bucketByLength(encoded, 3, 1000);
    const positions = batches.flatMap((b) => b.positions);
    expect([...positions].sort()).toEqual(lengths.map((_, i) => i));
    for (const batch of batches) batch.positions.forEach((p, i) => expect(batch.ids[i]).toBe(encoded[p]));
  });

  it('groups similar lengths, longest first, within the row and token limits', () => {
    const batches = bucketByLength(encoded, 3, 20);
    expect(batches.map((b) => b.ids.map((ids) => ids.length))).toEqual([
      [9, 9],
      [5, 3, 2],
      [1, 0],
    ]);
    for (const batch of batches) {
      const width = Math.max(1, ...batch.ids.map((ids) => ids.length));
      expect(batch.ids.length * width).toBeLessThanOrEqual(20);
    }
  });
});

describe('toDenseInputs', () => {
  it('pads on the right and marks real tokens', () => {
    const { inputIds, mask, width } = toDenseInputs([[7, 8, 9], [], [4]]);
    expect(width).toBe(3);
    expect([...inputIds].map(Number)).toEqual([7, 8, 9, 0, 0, 0, 4, 0, 0]);
    expect([...mask].map(Number)).toEqual([1, 1, 1, 0, 0, 0, 1, 0, 0]);
  });

  it('gives width 1 for a batch of empty inputs', () => {
    expect(toDenseInputs([[]]).width).toBe(1);
  });
});
