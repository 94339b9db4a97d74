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

/** Keeps the first pair of each (query, positive) and of each query text (ignoring case and spacing). */
export function dedupePairs(pairs: readonly TrainingPair[]): TrainingPair[] {
  const seen = new Set<string>();
  return pairs.filter((pair) => {
    const key = normaliseSpace(pair.query).toLowerCase();
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
  const passages = new Map<string, Set<string>>();
  for (const pair of pairs) {
    if (!SELF_SUPERVISED.has(pair.source)) continue;
    const key = normaliseSpace(pair.query).toLowerCase();
    passages.set(key, (passages.get(key) ?? new Set()).add(pair.note ?? normaliseSpace(pair.positive)));
  }
  return pairs.filter(
    (pair) =>
      !SELF_SUPERVISED.has(pair.source) || passages.get(normaliseSpace(pair.query).toLowerCase())!.size < 2,
  );
}

/** Quality filter, shared-query filter, then deduplication. */
export function cleanPairs(pairs: readonly TrainingPair[], bounds?: QualityBounds): TrainingPair[] {
  return dedupePairs(withoutSharedQueries(pairs.filter((pair) => isUsablePair(pair, bounds))));
}
