import type { Encoder } from '../../encoder/index.ts';
import type { NoteIndex } from '../../store/index.ts';
import { normaliseSpace } from './quality.ts';
import type { TrainingPair } from './types.ts';

/**
 * Adds hard negatives: the top dense hits of each query under the current version that are not its
 * positive (nor overlap it). Rows of other versions live in other spaces and are not searched.
 */
export async function mineHardNegatives(
  pairs: readonly TrainingPair[],
  index: NoteIndex,
  encoder: Encoder,
  options: { perPair: number; depth?: number },
  signal?: AbortSignal,
): Promise<TrainingPair[]> {
  if (options.perPair <= 0 || pairs.length === 0) return [...pairs];
  const vectors = await encoder.embedQueries(
    pairs.map((pair) => pair.query),
    signal,
  );
  const out: TrainingPair[] = [];
  for (const [i, pair] of pairs.entries()) {
    const hits = await index.denseSearch(vectors[i]!, {
      k: options.depth ?? options.perPair + 3,
      encoderVersion: encoder.version,
    });
    const positive = normaliseSpace(pair.positive);
    const mined = hits
      .map((hit) => normaliseSpace(hit.text))
      .filter((text) => !positive.includes(text) && !text.includes(positive))
      .slice(0, options.perPair);
    out.push({ ...pair, negatives: [...new Set([...pair.negatives, ...mined])] });
  }
  return out;
}
