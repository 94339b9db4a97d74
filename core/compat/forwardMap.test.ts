import { describe, expect, it } from 'vitest';
import { fitForwardMap } from './forwardMap.ts';
import { embeddingLikeVectors, randomRotation, Rng, transformVectors } from './testing/syntheticDrift.ts';

const DIMS = 24;

/** Stored vectors of an old space and the same texts in a new space rotated away from it. */
function drifted(seed: number, n: number) {
  const rng = new Rng(seed);
  const current = embeddingLikeVectors(rng, n, DIMS);
  const rotation = randomRotation(rng, DIMS);
  const stored = transformVectors(rng, current, { matrix: rotation, noise: 0.01, normalise: true });
  return { current, stored };
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Array.from(a).reduce((sum, value, i) => sum + value * b[i]!, 0);

describe('ForwardMap', () => {
  it("scores a stored old vector as the new version's own vector of the same text would score", async () => {
    const texts = drifted(1, 420);
    const anchors = { stored: texts.stored.slice(0, 400), current: texts.current.slice(0, 400) };
    const { map } = await fitForwardMap(anchors, { fromVersion: 'v0', toVersion: 'v1' });
    expect([map.fromVersion, map.toVersion]).toEqual(['v0', 'v1']);
    const query = anchors.current[0]!;
    // Unseen texts: the map was fitted on anchors only.
    const unseen = texts;
    for (let i = 400; i < 420; i++) {
      expect(map.score(query, unseen.stored[i]!)).toBeCloseTo(dot(query, unseen.current[i]!), 1);
    }
    // Without the map, the stored vectors score as noise in the new space.
    const raw = unseen.stored
      .slice(400)
      .map((stored, i) => Math.abs(dot(query, stored) - dot(query, unseen.current[400 + i]!)));
    expect(Math.max(...raw)).toBeGreaterThan(0.1);
  });

  it('ranks stored vectors with its search vector exactly as their images rank by the query', async () => {
    const anchors = drifted(2, 300);
    const { map } = await fitForwardMap(anchors, { fromVersion: 'v0', toVersion: 'v1', kinds: ['linear'] });
    const query = anchors.current[3]!;
    const search = map.searchVector(query);
    const stored = anchors.stored.slice(0, 50);
    const bySearch = [...stored.keys()].sort((a, b) => dot(search, stored[b]!) - dot(search, stored[a]!));
    // q . (A d + b) = (A^T q) . d + q . b: the same order as the unnormalised image.
    const byImage = [...stored.keys()].sort(
      (a, b) => dot(query, map.map.map(stored[b]!)) - dot(query, map.map.map(stored[a]!)),
    );
    expect(bySearch).toEqual(byImage);
    expect(Math.hypot(...search)).toBeCloseTo(1, 5);
  });
});
