import { SeededRandom } from '../random.ts';
import type { TrainingPair } from './types.ts';

/** A deterministic split of pairs into training and held-out (for the gate) parts. */
export function holdOut(
  pairs: readonly TrainingPair[],
  fraction: number,
  seed: number,
): { train: TrainingPair[]; heldOut: TrainingPair[] } {
  const shuffled = new SeededRandom(seed ^ 0x5bd1e995).shuffle(pairs);
  const count = pairs.length < 2 ? 0 : Math.max(1, Math.round(pairs.length * fraction));
  return { heldOut: shuffled.slice(0, count), train: shuffled.slice(count) };
}
