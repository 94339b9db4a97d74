import { noteKeyOf, type NoteGroup } from './grouping.ts';

/**
 * Dense similarities measured on the user's own notes: `self` between a query taken from a chunk
 * and that chunk, `random` between such a query and chunks of other notes.
 */
export interface FloorSample {
  self: readonly number[];
  random: readonly number[];
}

/** Fewer self pairs than this say too little about a collection to cut results with. */
export const MIN_SELF_PAIRS = 8;

/** The share of unrelated (random) pairs allowed above the floor. */
const RANDOM_PASS_RATE = 0.01;

/**
 * The dense similarity a note must exceed to count as a match without sharing a word with the
 * query: high enough that only 1% of random pairs reach it, but never above the median self pair (a
 * floor that drops half of the true pairs would hide what the user is looking for). Undefined
 * when the sample is too small to decide.
 */
export function relevanceFloor(sample: FloorSample): number | undefined {
  if (sample.self.length < MIN_SELF_PAIRS || sample.random.length === 0) return undefined;
  const randomHigh = quantile(sample.random, 1 - RANDOM_PASS_RATE);
  return Math.min(randomHigh, quantile(sample.self, 0.5));
}

/** The share of unrelated (random) pairs close enough to be shown as related. */
const RANDOM_RELATED_RATE = 0.1;

/**
 * The dense similarity a note must exceed to be shown as related at all: closer than 90% of
 * unrelated pairs. Below it a note is about as close as chance makes notes, and is not shown.
 */
export function relatedFloor(sample: FloorSample): number | undefined {
  if (sample.self.length < MIN_SELF_PAIRS || sample.random.length === 0) return undefined;
  return quantile(sample.random, 1 - RANDOM_RELATED_RATE);
}

/** The q-quantile (0..1) by linear interpolation between order statistics. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = Math.max(0, Math.min(1, q)) * (sorted.length - 1);
  const low = Math.floor(at);
  const high = Math.min(low + 1, sorted.length - 1);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}

/** What a search knows about each note's evidence, by note key (`noteKeyOf`). */
export interface NoteEvidenceKinds {
  /** Notes found by full text (their words or a quoted phrase). */
  textNotes: ReadonlySet<string>;
  /** Each dense-found note's best cosine with the query, in its own version's space. */
  bestCosine: ReadonlyMap<string, number>;
}

/**
 * Splits ranked notes into matches and loosely related notes, each keeping its order. A match
 * holds the query's words, ranks by an exact title or phrase boost, or is as close in meaning as
 * the match floor asks (strictly above it); what is found only by dense search and is closer than
 * the related floor is related; the rest is not shown.
 */
export function splitByRelevance(
  groups: readonly NoteGroup[],
  evidence: NoteEvidenceKinds,
  floors: RelevanceFloors,
): { matches: NoteGroup[]; related: NoteGroup[] } {
  const matches: NoteGroup[] = [];
  const related: NoteGroup[] = [];
  for (const group of groups) {
    const key = noteKeyOf(group.best);
    // Strictly above: a floor of 0 (random pairs share nothing) must not pass what shares nothing.
    const cosine = evidence.bestCosine.get(key) ?? -Infinity;
    if (group.tier > 0 || evidence.textNotes.has(key) || cosine > floors.match) matches.push(group);
    else if (cosine > (floors.related ?? -Infinity)) related.push(group);
  }
  return { matches, related };
}

/** The floors a search splits its candidates with (see `relevanceFloor` and `relatedFloor`). */
export interface RelevanceFloors {
  /** Above this dense cosine a note is a match. */
  match: number;
  /** Above this (and not a match) it is related; below it, not shown. No floor when undefined. */
  related?: number;
}

/** Both floors from one sample; undefined when the sample is too small to set them. */
export function floorsFrom(sample: FloorSample): RelevanceFloors | undefined {
  const match = relevanceFloor(sample);
  if (match === undefined) return undefined;
  const related = relatedFloor(sample);
  return related === undefined ? { match } : { match, related: Math.min(related, match) };
}
