import type { KindSelection } from './selectionContext.ts';
import { compareScores } from './scoring.ts';
import { FITTED_KINDS, type CompatibilityScores, type FittedKind } from './types.ts';

/**
 * When two kinds count as tied: MRR within `mrr`, and a cosine error (1 - mean cosine) at most
 * `relativeError` larger than the best kind's plus `absoluteError`. Errors are compared relatively
 * because good compensators all sit near cosine 1, where an absolute margin would hide a 20x gap.
 */
export const TIE_MARGINS = { mrr: 0.005, relativeError: 0.1, absoluteError: 1e-5 };

/**
 * The kind to use: among kinds whose validation scores are practically as good as the best one's,
 * the simplest (FITTED_KINDS order), since it generalises better to queries unlike the pairs.
 */
export function pickKind(selections: ReadonlyMap<FittedKind, KindSelection>): FittedKind {
  const entries = [...selections];
  const top = entries.reduce((best, entry) =>
    compareScores(entry[1].scores, best[1].scores) > 0 ? entry : best,
  );
  const tied = entries.filter(([, { scores }]) => isTied(scores, top[1].scores));
  tied.sort(([a], [b]) => FITTED_KINDS.indexOf(a) - FITTED_KINDS.indexOf(b));
  return tied[0]![0];
}

function isTied(scores: CompatibilityScores, best: CompatibilityScores): boolean {
  const error = 1 - scores.meanCosine;
  const bestError = 1 - best.meanCosine;
  return (
    scores.mrr >= best.mrr - TIE_MARGINS.mrr &&
    error <= bestError * (1 + TIE_MARGINS.relativeError) + TIE_MARGINS.absoluteError
  );
}
