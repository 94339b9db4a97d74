import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../base/index.ts';
import { pairedGain, selectFusion, type CandidateScores } from './fusionSelect.ts';

const DEFAULT = { denseWeight: 0.3, chunkEvidence: 0 };
const PAIRS = 150;

/** Reciprocal ranks of a retriever that finds the note at a random rank 1..5 or misses it. */
function baseRanks(random: SeededRandom): number[] {
  return Array.from({ length: PAIRS }, () => {
    const rank = random.int(6);
    return rank === 5 ? 0 : 1 / (rank + 1);
  });
}

/** `base` moved one rank up (`lift` > 0) or down on pairs picked with probability `share`. */
function shifted(base: readonly number[], random: SeededRandom, share: number, lift: number): number[] {
  return base.map((rr) => {
    if (random.next() >= share) return rr;
    const rank = rr === 0 ? 6 : Math.round(1 / rr);
    const moved = Math.max(1, rank - lift);
    return moved > 5 ? 0 : 1 / moved;
  });
}

function candidate(denseWeight: number, chunkEvidence: number, reciprocalRanks: number[]): CandidateScores {
  return { denseWeight, chunkEvidence, reciprocalRanks };
}

describe('selectFusion', () => {
  it('keeps full text alone when dense search only reshuffles the pairs', () => {
    const random = new SeededRandom(3);
    const text = baseRanks(random);
    // As many pairs lifted as dropped, plus a handful lifted: a higher mean the pairs cannot vouch for.
    const noisy = shifted(shifted(text, random, 0.3, 1), random, 0.3, -1).map((rr, i) => (i < 4 ? 1 : rr));
    expect(pairedGain(noisy, text).mean).toBeGreaterThan(0);
    const candidates = [candidate(0, 0, text), candidate(0.1, 0, noisy), candidate(0.3, 0, noisy)];
    const choice = selectFusion(candidates, DEFAULT);
    expect(choice.mrr.chosen).toBe(choice.mrr.text);
    expect({ denseWeight: choice.denseWeight, chunkEvidence: choice.chunkEvidence }).toEqual({
      denseWeight: 0,
      chunkEvidence: 0,
    });
    expect(choice.denseGain).toEqual({ mean: 0, low: 0 });
  });

  it('takes the dense weight whose gain is surest when the pairs show that dense search helps', () => {
    const random = new SeededRandom(4);
    const text = baseRanks(random);
    const small = shifted(text, random, 0.3, 1);
    const large = shifted(small, random, 0.3, 2);
    const candidates = [candidate(0, 0, text), candidate(0.3, 0, small), candidate(1, 0, large)];
    const choice = selectFusion(candidates, DEFAULT);
    expect(choice.denseWeight).toBe(1);
    expect(choice.denseGain.low).toBeGreaterThan(0);
    expect(choice.mrr.chosen).toBeGreaterThan(choice.mrr.text);
    expect(choice.mrr.default).toBeCloseTo(pairedGain(small, text).mean + choice.mrr.text, 10);
  });

  it('weighs dense search against full text with the chunk evidence the pairs chose', () => {
    const random = new SeededRandom(5);
    const plain = baseRanks(random);
    const evidence = shifted(plain, random, 0.4, 2);
    // Dense search beats plain full text only as much as chunk evidence does, and adds nothing to it.
    const candidates = [
      candidate(0, 0, plain),
      candidate(0, 0.5, evidence),
      candidate(0.5, 0, evidence),
      candidate(0.5, 0.5, evidence),
    ];
    const choice = selectFusion(candidates, DEFAULT);
    expect(choice).toMatchObject({ denseWeight: 0, chunkEvidence: 0.5 });
  });

  it('refuses candidates without full text alone or scored on different pairs', () => {
    expect(() => selectFusion([candidate(0.3, 0, [1, 0])], DEFAULT)).toThrow(/full text alone/);
    expect(() => selectFusion([candidate(0, 0, [1, 0]), candidate(0.3, 0, [1])], DEFAULT)).toThrow(
      /same validation pairs/,
    );
  });
});

describe('pairedGain', () => {
  it('bounds the mean difference from below by its standard error', () => {
    const gain = pairedGain([1, 1, 0.5, 0.5], [0.5, 0.5, 0.5, 0.5]);
    expect(gain.mean).toBeCloseTo(0.25, 10);
    // sd of [0.5, 0.5, 0, 0] is 0.2887; 1.645 * 0.2887 / 2 = 0.2375.
    expect(gain.low).toBeCloseTo(0.25 - 0.2375, 3);
    expect(pairedGain([1], [0]).low).toBe(-1);
  });
});
