import type { FeedbackEvent } from '../../store/index.ts';
import type { TrainingPair } from './types.ts';

/** The passage that stands for a note in a pair (its best chunk or start), or undefined if gone. */
export type PassageOf = (noteKey: string, chunkId?: string) => string | undefined;

const POSITIVE = new Set(['open', 'up', 'pin']);

/** `folderId/notePath`, the form `shown` lists notes in. */
export function feedbackNoteKey(event: { folderId: string; notePath: string }): string {
  return `${event.folderId}/${event.notePath}`;
}

/**
 * Turns feedback into pairs. open/up/pin make the note a positive for the query, and every result
 * ranked above it that the user passed over (and chose nowhere else for that query) becomes a weak
 * negative. down/hide make the note an
 * explicit negative, which joins the negatives of the positive pairs of the same query.
 */
export function pairsFromFeedback(events: readonly FeedbackEvent[], passageOf: PassageOf): TrainingPair[] {
  const rejected = new Map<string, Set<string>>();
  for (const event of events) {
    if (POSITIVE.has(event.kind)) continue;
    const passage = passageOf(feedbackNoteKey(event), event.chunkId);
    if (!passage) continue;
    const set = rejected.get(event.query) ?? new Set<string>();
    rejected.set(event.query, set.add(passage));
  }
  // Notes the user chose for a query answer it: passed over above another choice, they are
  // still no negative of it.
  const chosen = new Map<string, Set<string>>();
  for (const event of events) {
    if (!POSITIVE.has(event.kind)) continue;
    const set = chosen.get(event.query) ?? new Set<string>();
    chosen.set(event.query, set.add(feedbackNoteKey(event)));
  }
  const pairs = new Map<string, TrainingPair>();
  for (const event of events) {
    if (!POSITIVE.has(event.kind)) continue;
    const positive = passageOf(feedbackNoteKey(event), event.chunkId);
    if (!positive) continue;
    const key = `${event.query}\u001f${positive}`;
    const skipped = skippedAbove(event)
      .filter((noteKey) => !chosen.get(event.query)!.has(noteKey))
      .map((noteKey) => passageOf(noteKey))
      .filter((passage): passage is string => !!passage && passage !== positive);
    const negatives = new Set([
      ...(pairs.get(key)?.negatives ?? []),
      ...(rejected.get(event.query) ?? []),
      ...skipped,
    ]);
    negatives.delete(positive);
    pairs.set(key, {
      query: event.query,
      positive,
      negatives: [...negatives],
      source: 'feedback',
      note: feedbackNoteKey(event),
    });
  }
  return [...pairs.values()];
}

/** The results shown above the chosen one: the user saw and passed over them. */
function skippedAbove(event: FeedbackEvent): string[] {
  const at = event.shown.indexOf(feedbackNoteKey(event));
  return at > 0 ? event.shown.slice(0, at) : [];
}
