import type { Encoder } from '../../encoder/index.ts';
import type { NoteIndex } from '../../store/index.ts';
import { normaliseSpace } from './quality.ts';
import type { TrainingPair } from './types.ts';

/**
 * Adds hard negatives: the top dense hits of each query under the current version that are not its
 * positive (nor overlap it) and come from no note that answers the query: search returns notes, so
 * another part of the positive's own note, or a note the user opened for the same query, is no
 * negative. Rows of other versions live in other spaces and are not searched.
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
  const answers = answeringNotes(pairs);
  const out: TrainingPair[] = [];
  for (const [i, pair] of pairs.entries()) {
    const hits = await index.denseSearch(vectors[i]!, {
      k: options.depth ?? options.perPair + 3,
      encoderVersion: encoder.version,
    });
    const positive = normaliseSpace(pair.positive);
    const mined = hits
      .filter((hit) => !answers.get(pair.query)?.has(`${hit.folderId}/${hit.notePath}`))
      .map((hit) => normaliseSpace(hit.text))
      .filter((text) => !positive.includes(text) && !text.includes(positive))
      .slice(0, options.perPair);
    out.push({ ...pair, negatives: [...new Set([...pair.negatives, ...mined])] });
  }
  return out;
}

/** Query -> the notes (`folderId/notePath`) its pairs point at. */
function answeringNotes(pairs: readonly TrainingPair[]): Map<string, Set<string>> {
  const answers = new Map<string, Set<string>>();
  for (const pair of pairs) {
    if (!pair.note) continue;
    answers.set(pair.query, (answers.get(pair.query) ?? new Set<string>()).add(pair.note));
  }
  return answers;
}
