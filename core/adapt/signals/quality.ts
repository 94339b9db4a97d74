import type { EventLoopTurns } from '../turns.ts';
import { DEFAULT_QUALITY, type QualityBounds, type TrainingPair } from './types.ts';

const LONE_LINK = /^\s*(?:\[[^\]]*\]\([^)]*\)|<?https?:\/\/\S+>?)\s*$/i;
const LONE_DATE =
  /^\s*(?:\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?|\d{1,2}[./]\d{1,2}[./]\d{2,4})\s*$/;
const NO_WORDS = /^[^\p{L}]*$/u;

/** Text that carries no meaning to learn from: a lone link, a lone date, no letters at all. */
export function isBoilerplate(text: string): boolean {
  return LONE_LINK.test(text) || LONE_DATE.test(text) || NO_WORDS.test(text);
}

/** Collapses whitespace; the form pairs are compared and deduplicated in. */
export function normaliseSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** True when the pair is within the length bounds, not boilerplate, and the query is not the passage. */
export function isUsablePair(pair: TrainingPair, bounds: QualityBounds = DEFAULT_QUALITY): boolean {
  const query = normaliseSpace(pair.query);
  const positive = normaliseSpace(pair.positive);
  if (query.length < bounds.minQueryChars || query.length > bounds.maxQueryChars) return false;
  if (positive.length < bounds.minPassageChars || positive.length > bounds.maxPassageChars) return false;
  if (isBoilerplate(query) || isBoilerplate(positive)) return false;
  return query.toLowerCase() !== positive.toLowerCase();
}

/** The form a query is compared in: spacing collapsed, case ignored. */
function queryKey(pair: TrainingPair): string {
  return normaliseSpace(pair.query).toLowerCase();
}

/** Keeps the first pair of each (query, positive) and of each query text (ignoring case and spacing). */
export function dedupePairs(pairs: readonly TrainingPair[], keys = pairs.map(queryKey)): TrainingPair[] {
  const seen = new Set<string>();
  return pairs.filter((_, i) => {
    const key = keys[i]!;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const SELF_SUPERVISED = new Set<TrainingPair['source']>(['heading', 'title', 'sentence', 'crop']);

/**
 * Drops self-supervised pairs whose query text several different passages share (a session header
 * used as every note's title, a "Notes" heading): such a query names no one note, so pointing it at
 * one of them teaches the encoder a false positive and its siblings as false negatives.
 */
export function withoutSharedQueries(pairs: readonly TrainingPair[]): TrainingPair[] {
  return withoutShared(pairs, pairs.map(queryKey)).pairs;
}

/** withoutSharedQueries on precomputed query keys; returns the kept pairs with their keys. */
function withoutShared(pairs: readonly TrainingPair[], keys: readonly string[]) {
  const passages = new Map<string, Set<string>>();
  pairs.forEach((pair, i) => {
    if (!SELF_SUPERVISED.has(pair.source)) return;
    const key = keys[i]!;
    passages.set(key, (passages.get(key) ?? new Set()).add(pair.note ?? normaliseSpace(pair.positive)));
  });
  const kept = pairs.flatMap((pair, i) =>
    !SELF_SUPERVISED.has(pair.source) || passages.get(keys[i]!)!.size < 2 ? [i] : [],
  );
  return { pairs: kept.map((i) => pairs[i]!), keys: kept.map((i) => keys[i]!) };
}

/** Quality filter, shared-query filter, then deduplication. */
export function cleanPairs(pairs: readonly TrainingPair[], bounds?: QualityBounds): TrainingPair[] {
  const usable = pairs.filter((pair) => isUsablePair(pair, bounds));
  const shared = withoutShared(usable, usable.map(queryKey));
  return dedupePairs(shared.pairs, shared.keys);
}

/**
 * cleanPairs with a turn of the event loop between pieces of work (`turns`): the same pairs, for
 * the tens of thousands of pairs a whole collection gives, planned on the thread that serves search.
 */
export async function cleanPairsInTurns(
  pairs: readonly TrainingPair[],
  turns: EventLoopTurns,
  bounds?: QualityBounds,
): Promise<TrainingPair[]> {
  const usable: TrainingPair[] = [];
  const keys: string[] = [];
  await turns.forEach(pairs, (pair) => {
    if (!isUsablePair(pair, bounds)) return;
    usable.push(pair);
    keys.push(queryKey(pair));
  });
  const shared = withoutShared(usable, keys);
  await turns.turn();
  return dedupePairs(shared.pairs, shared.keys);
}
