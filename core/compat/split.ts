/** A deterministic pseudo-random generator (mulberry32) so that splits repeat for a seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
