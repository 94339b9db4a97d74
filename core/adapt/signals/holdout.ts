import { SeededRandom } from '../../base/index.ts';
import type { TrainingPair } from './types.ts';

/**
 * A deterministic split of pairs into training and held-out (for the gate) parts, by note: every
 * pair of a held-out note is held out, so the gate never sees a note that training saw. Pairs
 * without a note count as a note of their own.
 */
export function holdOut(
  pairs: readonly TrainingPair[],
  fraction: number,
  seed: number,
): { train: TrainingPair[]; heldOut: TrainingPair[] } {
  const byNote = new Map<string, TrainingPair[]>();
  pairs.forEach((pair, i) => {
    const key = pair.note ?? `\u0000${i}`;
    byNote.set(key, [...(byNote.get(key) ?? []), pair]);
  });
  const notes = new SeededRandom(seed ^ 0x5bd1e995).shuffle([...byNote.keys()]);
  const wanted = pairs.length < 2 ? 0 : Math.max(1, Math.round(pairs.length * fraction));
  const heldOut: TrainingPair[] = [];
  const train: TrainingPair[] = [];
  for (const note of notes) {
    const group = byNote.get(note)!;
    // The last note is never held out whole, so training keeps something whenever it can.
    if (heldOut.length < wanted && train.length + heldOut.length + group.length <= pairs.length)
      heldOut.push(...group);
    else train.push(...group);
  }
  if (train.length === 0 && heldOut.length > 1) train.push(...heldOut.splice(0, 1));
  return { heldOut, train };
}
