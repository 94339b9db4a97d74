import { contentWords } from './stopWords.ts';
import { wordTokens } from './words.ts';

export type Range = [number, number];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Matches any term or phrase as whole words, ignoring case; phrase words may be split by any non-word run. */
export function matcher(terms: readonly string[], phrases: readonly string[]): RegExp | undefined {
  const words = [...new Set(contentWords(terms.flatMap(wordTokens)))];
  const phrasePatterns = phrases
    .map((phrase) => wordTokens(phrase).map(escapeRegExp).join('[^\\p{L}\\p{N}]+'))
    .filter(Boolean);
  // Longer alternatives first, so a phrase wins over its own first word.
  const alternatives = [...phrasePatterns, ...words.sort((a, b) => b.length - a.length).map(escapeRegExp)];
  if (alternatives.length === 0) return undefined;
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
}

/** Every match of `pattern` in `text`, as [start, end) offsets. */
export function findRanges(text: string, pattern: RegExp | undefined): Range[] {
  if (!pattern) return [];
  return [...text.matchAll(pattern)].map((match): Range => [match.index, match.index + match[0].length]);
}

export interface Snippet {
  snippet: string;
  highlights: Range[];
}

const CONTEXT_BEFORE = 60;

/**
 * A window of about `maxChars` of `text` starting a little before the first match, cut at word
 * boundaries, with '…' where text was cut, and the matches inside it as highlight ranges.
 */
export function makeSnippet(text: string, pattern: RegExp | undefined, maxChars = 240): Snippet {
  const first = findRanges(text, pattern)[0];
  let start = Math.max(0, (first?.[0] ?? 0) - CONTEXT_BEFORE);
  if (start > 0) start = Math.min(nextWordStart(text, start), first?.[0] ?? start);
  let end = Math.min(text.length, start + maxChars);
  if (end < text.length) end = previousWordEnd(text, end, start);
  const prefix = start > 0 ? '…' : '';
  const body = text.slice(start, end);
  const snippet = `${prefix}${body}${end < text.length ? '…' : ''}`;
  const highlights = findRanges(body, pattern).map(
    ([from, to]): Range => [from + prefix.length, to + prefix.length],
  );
  return { snippet, highlights };
}

function nextWordStart(text: string, from: number): number {
  const space = text.slice(from).search(/\s/);
  return space < 0 ? from : from + space + 1;
}

function previousWordEnd(text: string, to: number, floor: number): number {
  const space = text.slice(floor, to).search(/\s\S*$/);
  return space <= 0 ? to : floor + space;
}
