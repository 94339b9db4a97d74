/** One candidate fusion and the reciprocal rank (0 when missed) of each validation pair under it. */
export interface CandidateScores {
  denseWeight: number;
  chunkEvidence: number;
  /** Same pairs, same order, for every candidate: the comparison is paired. */
  reciprocalRanks: readonly number[];
}

/** A paired difference between two candidates on the same pairs: its mean and one-sided lower bound. */
export interface PairedGain {
  mean: number;
  low: number;
}

export interface FusionSelection {
  denseWeight: number;
  chunkEvidence: number;
  /** MRR@10 on the validation pairs: full text alone, the chosen fusion, the default. */
  mrr: { text: number; chosen: number; default: number };
  /** The chosen fusion's gain over full text alone with the same chunk evidence. */
  denseGain: PairedGain;
}

/** z of a one-sided 95% bound: a change is taken when the notes show it helps with that confidence. */
export const CONFIDENCE_Z = 1.645;

/**
 * Chooses the fusion from candidates scored on the same validation pairs, conservatively: full text
 * alone (dense weight 0, best chunks) is the baseline, and a setting away from it is taken only where
 * the lower confidence bound of its paired gain is above zero. First the chunk evidence, among the
 * full-text-only candidates; then the dense weight with that chunk evidence, the one whose gain is
 * surest. The argmax over a grid of a few hundred noisy pairs picked small dense weights that the
 * pairs could not tell from none, and a weak encoder then pulled hybrid below full text on queries.
 * @throws Error when the candidates lack full text alone or score different numbers of pairs.
 */
export function selectFusion(
  candidates: readonly CandidateScores[],
  fallback: { denseWeight: number; chunkEvidence: number },
): FusionSelection {
  const pairs = candidates[0]?.reciprocalRanks.length ?? 0;
  if (candidates.some((candidate) => candidate.reciprocalRanks.length !== pairs))
    throw new Error('Every candidate fusion must be scored on the same validation pairs.');
  const wordsOnly = candidates.filter((candidate) => candidate.denseWeight === 0);
  const plain = wordsOnly.find((candidate) => candidate.chunkEvidence === 0);
  if (!plain)
    throw new Error('The candidates must include full text alone (dense weight 0, chunk evidence 0).');
  const text = surestGain(plain, wordsOnly);
  const withEvidence = candidates.filter((candidate) => candidate.chunkEvidence === text.chunkEvidence);
  const chosen = surestGain(text, withEvidence);
  const byDefault = candidates.find(
    (candidate) =>
      candidate.denseWeight === fallback.denseWeight && candidate.chunkEvidence === fallback.chunkEvidence,
  );
  return {
    denseWeight: chosen.denseWeight,
    chunkEvidence: chosen.chunkEvidence,
    mrr: {
      text: mean(text.reciprocalRanks),
      chosen: mean(chosen.reciprocalRanks),
      default: mean(byDefault?.reciprocalRanks ?? []),
    },
    denseGain: pairedGain(chosen.reciprocalRanks, text.reciprocalRanks),
  };
}

/** The alternative whose gain over `baseline` has the highest lower bound, if that is above zero. */
function surestGain(baseline: CandidateScores, alternatives: readonly CandidateScores[]): CandidateScores {
  let best = baseline;
  let bestLow = 0;
  for (const candidate of alternatives) {
    const { low } = pairedGain(candidate.reciprocalRanks, baseline.reciprocalRanks);
    if (low > bestLow) [best, bestLow] = [candidate, low];
  }
  return best;
}

/** Mean of the pairwise differences `a - b` and its one-sided lower confidence bound. */
export function pairedGain(a: readonly number[], b: readonly number[]): PairedGain {
  const differences = a.map((value, i) => value - (b[i] ?? 0));
  const n = differences.length;
  // With fewer than two pairs nothing is known: the bound is the smallest difference possible.
  if (n < 2) return { mean: mean(differences), low: -1 };
  const average = mean(differences);
  const variance = differences.reduce((sum, d) => sum + (d - average) ** 2, 0) / (n - 1);
  return { mean: average, low: average - CONFIDENCE_Z * Math.sqrt(variance / n) };
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}
