import type { Compensator } from './compensator.ts';
import { checkPairs } from './checkPairs.ts';
import { stackRows } from './dense.ts';
import { compatibilityScores } from './scoring.ts';
import type { CompatibilityScores, EmbeddingPairs } from './types.ts';

/**
 * How well a compensator (or a composed chain) brings new vectors onto their old partners, on
 * pairs it was not fitted on: mean cosine, and Recall@1/@10 and MRR of the true old vector among
 * the pairs' old vectors (the first 512 of them). For gates and benchmarks.
 * @throws DriftlessError INVALID_ARGUMENT for malformed pairs or vectors of the wrong size.
 */
export function scoreCompensator(compensator: Compensator, pairs: EmbeddingPairs): CompatibilityScores {
  const dims = checkPairs(pairs);
  const n = pairs.newVecs.length;
  const predicted = new Float64Array(n * dims);
  pairs.newVecs.forEach((v, i) => predicted.set(compensator.map(v), i * dims));
  return compatibilityScores(predicted, stackRows(pairs.oldVecs, dims), n, dims);
}
