import { seededRandom } from '../base/index.ts';

/** Splits indices 0..n-1 into shuffled train and validation parts; both keep at least two items. */
export function splitIndices(
  n: number,
  validationFraction: number,
  seed: number,
): { train: number[]; validation: number[] } {
  const random = seededRandom(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const validationCount = Math.min(Math.max(Math.round(n * validationFraction), 2), n - 2);
  return { validation: order.slice(0, validationCount), train: order.slice(validationCount) };
}
