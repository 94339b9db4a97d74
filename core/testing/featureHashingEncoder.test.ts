import { describe, expect, it } from 'vitest';
import { FeatureHashingEncoder } from './featureHashingEncoder.ts';

const cosine = (a: Float32Array, b: Float32Array) =>
  a.reduce((sum, value, i) => sum + value * (b[i] ?? 0), 0);

describe('FeatureHashingEncoder', () => {
  const encoder = new FeatureHashingEncoder({ dimensions: 128, version: 'v7' });

  it('produces unit vectors of the configured length and version', async () => {
    const [vector] = await encoder.embedDocuments(['Hello hello world']);
    expect(vector).toHaveLength(128);
    expect(Math.hypot(...vector!)).toBeCloseTo(1, 6);
    expect(encoder.version).toBe('v7');
  });

  it('is deterministic, case-insensitive and scores word overlap', async () => {
    const [a, b, c, d] = await encoder.embedQueries([
      'red apple pie',
      'RED APPLE PIE',
      'apple pie recipe',
      'quantum physics',
    ]);
    expect(Array.from(a!)).toEqual(Array.from(b!));
    expect(cosine(a!, c!)).toBeGreaterThan(cosine(a!, d!));
  });

  it('maps text without words to a fixed unit vector and counts tokens', () => {
    expect(Math.hypot(...encoder.embed('!!!'))).toBeCloseTo(1, 6);
    expect(encoder.countTokens('one, two three')).toBe(3);
  });
});
