import { describe, expect, it } from 'vitest';
import { AnchorCorrection, buildCorrection } from './anchorCorrection.ts';
import { CORRECTED_CANDIDATES, fitForwardMap } from './forwardMap.ts';
import {
  embeddingLikeVectors,
  randomRotation,
  Rng,
  topicalDrift,
  transformVectors,
} from './testing/syntheticDrift.ts';

const DIMS = 12;

const cosine = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Array.from(a).reduce((sum, value, i) => sum + value * b[i]!, 0);

function meanCosine(map: { image(v: Float32Array): Float32Array }, rows: ReturnType<typeof topicalDrift>) {
  return (
    rows.stored.reduce((sum, stored, i) => sum + cosine(map.image(stored), rows.current[i]!), 0) /
    rows.stored.length
  );
}

describe('anchor correction', () => {
  it('carries per-topic change to notes that were not anchors, chosen on held-out notes', async () => {
    const anchors = topicalDrift(1, 150, DIMS);
    const unseen = topicalDrift(1, 250, DIMS);
    const later = {
      stored: unseen.stored.slice(anchors.stored.length),
      current: unseen.current.slice(anchors.stored.length),
      notes: unseen.notes.slice(anchors.stored.length),
    };
    const options = { fromVersion: 'v0', toVersion: 'v1', kinds: ['linear' as const] };
    const plain = await fitForwardMap({ stored: anchors.stored, current: anchors.current }, options);
    const corrected = await fitForwardMap(anchors, options);
    expect(plain.map.correction).toBeUndefined();
    expect(corrected.correction!.choice).toBeDefined();
    expect(corrected.correction!.correctedCosine).toBeGreaterThan(corrected.correction!.affineCosine);
    // On notes it never saw, the corrected images sit closer to the new version's own vectors.
    const errorPlain = 1 - meanCosine(plain.map, later);
    const errorCorrected = 1 - meanCosine(corrected.map, later);
    expect(errorCorrected).toBeLessThan(errorPlain * 0.8);
  });

  it("spends the correction on a segment's best candidates by the affine map, the rest keep their affine score", async () => {
    const anchors = topicalDrift(1, 150, DIMS);
    const { map } = await fitForwardMap(anchors, { fromVersion: 'v0', toVersion: 'v1', kinds: ['linear'] });
    const candidates = topicalDrift(2, 40, DIMS).stored;
    const query = anchors.current[0]!;
    const affine = candidates.map((stored) => cosine(query, map.map.apply(stored)));
    const best = new Set(
      [...affine.keys()].sort((a, b) => affine[b]! - affine[a]!).slice(0, CORRECTED_CANDIDATES),
    );
    const scores = map.scoreCandidates(
      query,
      candidates.map((stored, i) => ({ id: `row-${i}`, stored })),
    );
    scores.forEach((score, i) =>
      expect(score).toBeCloseTo(best.has(i) ? map.score(query, candidates[i]!) : affine[i]!, 6),
    );
    expect(candidates.length).toBeGreaterThan(CORRECTED_CANDIDATES);
    const moved = scores.filter((score, i) => Math.abs(score - affine[i]!) > 1e-3).length;
    expect(moved).toBeGreaterThan(CORRECTED_CANDIDATES / 2);

    // Rows met again score from what was kept of them, the same; a row whose vector changed is recomputed.
    const rows = candidates.map((stored, i) => ({ id: `row-${i}`, stored }));
    const again = map.scoreCandidates(query, rows);
    again.forEach((score, i) => expect(score).toBeCloseTo(scores[i]!, 9));
    const swapped = rows.map((row, i) => (i === 0 ? { ...row, stored: candidates[1]! } : row));
    expect(map.scoreCandidates(query, swapped)[0]).toBeCloseTo(again[1]!, 9);
  });

  it('is left out when one affine map already explains the change', async () => {
    const rng = new Rng(3);
    const current = embeddingLikeVectors(rng, 240, DIMS);
    const stored = transformVectors(rng, current, {
      matrix: randomRotation(rng, DIMS),
      noise: 0.01,
      normalise: true,
    });
    const notes = current.map((_, i) => `note-${Math.floor(i / 4)}`);
    const { map, correction } = await fitForwardMap(
      { stored, current, notes },
      { fromVersion: 'v0', toVersion: 'v1', kinds: ['linear'] },
    );
    expect(correction!.choice).toBeUndefined();
    expect(map.correction).toBeUndefined();
  });

  it("moves an anchor's own image onto its current vector with one neighbour at full weight", () => {
    const rng = new Rng(5);
    const stored = embeddingLikeVectors(rng, 10, DIMS);
    const current = embeddingLikeVectors(rng, 10, DIMS);
    const images = embeddingLikeVectors(rng, 10, DIMS);
    const correction = buildCorrection(
      { stored, current, images },
      { neighbours: 1, temperature: 0.05, weight: 1 },
    );
    expect(correction).toBeInstanceOf(AnchorCorrection);
    expect(correction.anchors).toBe(10);
    const moved = correction.apply(stored[4]!, images[4]!);
    for (let i = 0; i < DIMS; i++) expect(moved[i]).toBeCloseTo(current[4]![i]!, 5);
    // Half the weight lands between the image and the current vector.
    const half = buildCorrection(
      { stored, current, images },
      { neighbours: 1, temperature: 0.05, weight: 0.5 },
    );
    const between = half.apply(stored[4]!, images[4]!);
    expect(cosine(between, current[4]!)).toBeGreaterThan(cosine(images[4]!, current[4]!));
    expect(cosine(between, current[4]!)).toBeLessThan(0.99999);
  });
});
