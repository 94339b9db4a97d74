import { sha256 } from '../../base/index.ts';
import type { TokenCounter } from '../../encoder/index.ts';
import type { NoteChunk, NoteSection, ParsedNote } from '../types.ts';
import { contentCounter, splitIntoUnits, type Unit } from './units.ts';

export interface ChunkOptions {
  /** Tokens carried over from the end of one chunk to the start of the next in the same section. */
  overlapTokens?: number;
  /** The most tokens in one chunk; at most the counter's maxTokens. */
  maxTokens?: number;
}

/**
 * The default chunk size leaves room below the encoder's limit for the title and heading path that
 * chunkEmbeddingText puts in front of each chunk.
 */
export function defaultChunkTokens(counter: TokenCounter): number {
  return Math.max(1, counter.maxTokens - Math.min(24, Math.floor(counter.maxTokens / 8)));
}

/**
 * Splits a parsed note into chunks: first at sections, then, for sections over the token limit, at
 * paragraph, line, sentence and word boundaries, with a small overlap between neighbours.
 * Every chunk's text is exactly `note.text.slice(start, end)`; its id depends only on its heading
 * path and text (a repeat of the same content in one note gets an occurrence suffix).
 */
export function chunkNote(note: ParsedNote, counter: TokenCounter, options: ChunkOptions = {}): NoteChunk[] {
  const limit = Math.max(1, Math.min(options.maxTokens ?? defaultChunkTokens(counter), counter.maxTokens));
  // Pack by content tokens: fixed per-input tokens would otherwise be counted once per piece.
  const { counter: content, overhead } = contentCounter(counter);
  const budget = Math.max(1, limit - overhead);
  const overlap = Math.max(
    0,
    Math.min(options.overlapTokens ?? Math.min(32, Math.floor(budget / 10)), Math.floor(budget / 2)),
  );
  const spans = note.sections.flatMap((section) =>
    packSection(note.text, section, content, budget, overlap).map((span) => ({ ...span, section })),
  );
  const seen = new Map<string, number>();
  return spans.map(({ start, end, section }, ordinal) => {
    const text = note.text.slice(start, end);
    const headingPath = [...section.headingPath];
    return {
      chunkId: uniqueId(chunkContentId(headingPath, text), seen),
      ordinal,
      headingPath,
      text,
      start,
      end,
    };
  });
}

/** The content identity of a chunk: sha256 of its heading path and text. */
export function chunkContentId(headingPath: readonly string[], text: string): string {
  return sha256(`${headingPath.join('\u001f')}\u001e${text}`);
}

function uniqueId(id: string, seen: Map<string, number>): string {
  const count = seen.get(id) ?? 0;
  seen.set(id, count + 1);
  return count === 0 ? id : sha256(`${id}#${count}`);
}

interface Span {
  start: number;
  end: number;
}

function packSection(
  text: string,
  section: NoteSection,
  counter: TokenCounter,
  budget: number,
  overlap: number,
): Span[] {
  const units = splitIntoUnits(text, section.start, section.end, counter, budget);
  const spans: Span[] = [];
  let first = 0;
  while (first < units.length) {
    const last = fitChunk(text, units, first, counter, budget);
    spans.push({ start: units[first]!.start, end: units[last]!.end });
    if (last === units.length - 1) break;
    first = overlapStart(units, first, last, overlap, budget);
  }
  return spans;
}

/** The last unit of a chunk starting at `first`: greedy by summed counts, then checked on the real text. */
function fitChunk(
  text: string,
  units: readonly Unit[],
  first: number,
  counter: TokenCounter,
  budget: number,
): number {
  let last = first;
  let sum = units[first]!.tokens;
  while (last + 1 < units.length && sum + units[last + 1]!.tokens <= budget) sum += units[++last]!.tokens;
  // Token counts are not always additive across joins; the joined text is what the encoder sees.
  while (last > first && counter.countTokens(text.slice(units[first]!.start, units[last]!.end)) > budget)
    last--;
  return last;
}

/** Where the next chunk starts: a few trailing units of this one, but always leaving room for new text. */
function overlapStart(
  units: readonly Unit[],
  first: number,
  last: number,
  overlap: number,
  budget: number,
): number {
  let start = last + 1;
  let carried = 0;
  while (start - 1 > first && carried + units[start - 1]!.tokens <= overlap)
    carried += units[--start]!.tokens;
  const next = units[last + 1]!.tokens;
  while (start <= last && carried + next > budget) carried -= units[start++]!.tokens;
  return start;
}

const PATH_SEPARATOR = ' › ';
const MAX_CONTEXT_CHARS = 160;

/**
 * The text the encoder embeds for a chunk: a short "title › heading path" line for context, then the
 * chunk. Headings the chunk already starts with and a heading equal to the title are not repeated.
 */
export function chunkEmbeddingText(title: string, chunk: NoteChunk): string {
  const path = chunk.headingPath.filter((heading, i) => heading !== title || i > 0);
  if (path.length > 0 && chunk.text.startsWith(path.at(-1)!)) path.pop();
  const context = shorten([title.trim(), ...path].filter(Boolean).join(PATH_SEPARATOR));
  return context ? `${context}\n\n${chunk.text}` : chunk.text;
}

function shorten(context: string): string {
  return context.length <= MAX_CONTEXT_CHARS
    ? context
    : `${context.slice(0, MAX_CONTEXT_CHARS - 1).trimEnd()}…`;
}
