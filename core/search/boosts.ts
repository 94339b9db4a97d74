import type { ScoredChunk } from '../store/index.ts';
import { noteKeyOf } from './grouping.ts';
import type { NoteGroup } from './grouping.ts';
import { normalizeText, wordTokens } from './words.ts';

/** Tiers above ordinary matches: an exact title beats an exact phrase, which beats the rest. */
export const TITLE_TIER = 2;
export const PHRASE_TIER = 1;

function containsPhrase(text: string, phrase: string): boolean {
  const haystack = ` ${wordTokens(text).join(' ')} `;
  return haystack.includes(` ${wordTokens(phrase).join(' ')} `);
}

function chunkHasAllPhrases(chunk: ScoredChunk, phrases: readonly string[]): boolean {
  return phrases.every((phrase) => containsPhrase(`${chunk.title}\n${chunk.text}`, phrase));
}

/**
 * Raises notes whose title equals the query text (or one of its phrases) to TITLE_TIER, and notes
 * with a chunk containing every quoted phrase to PHRASE_TIER; that chunk becomes the note's best.
 * Notes found only by title lookup (`titleChunks`) join the groups.
 */
export function applyBoosts(
  groups: NoteGroup[],
  text: string,
  phrases: readonly string[],
  titleChunks: readonly ScoredChunk[],
): NoteGroup[] {
  const byKey = new Map(groups.map((group) => [noteKeyOf(group.best), group]));
  for (const chunk of titleChunks) {
    if (!byKey.has(noteKeyOf(chunk)))
      byKey.set(noteKeyOf(chunk), { best: chunk, chunks: [chunk], score: 0, tier: 0 });
  }
  const titles = new Set([text, ...phrases].map(normalizeText).filter(Boolean));
  for (const group of byKey.values()) {
    if (titles.has(normalizeText(group.best.title))) group.tier = Math.max(group.tier, TITLE_TIER);
    if (phrases.length === 0) continue;
    const withPhrase = group.chunks.find((chunk) => chunkHasAllPhrases(chunk, phrases));
    if (!withPhrase) continue;
    group.best = withPhrase;
    group.tier = Math.max(group.tier, PHRASE_TIER);
  }
  return [...byKey.values()];
}
