import type { TokenCounter } from '../../encoder/index.ts';

/** A span of note text that is never cut further, with its token count. */
export interface Unit {
  start: number;
  end: number;
  tokens: number;
}

/** Boundaries tried in order, coarsest first: paragraphs, lines, sentences, words. */
const SEPARATORS: readonly RegExp[] = [
  /\n[ \t]*\n\s*/g,
  /\n\s*/g,
  /(?<=[.!?…;:])\s+|(?<=[。！？])\s*/gu,
  /\s+/g,
];

/**
 * Cuts `text[start, end)` into units of at most `budget` content tokens, splitting only spans that are
 * too long and only as finely as needed. Each character is counted at most once per boundary level,
 * so the cost stays linear in the text length. `counter` here counts content tokens only.
 */
export function splitIntoUnits(
  text: string,
  start: number,
  end: number,
  counter: TokenCounter,
  budget: number,
): Unit[] {
  const units: Unit[] = [];
  const tokens = counter.countTokens(text.slice(start, end));
  collectUnits({ text, counter, budget, units }, { start, end, tokens }, 0);
  return units;
}

/**
 * A counter without the fixed tokens an encoder adds to every input (e.g. [CLS] and [SEP]), measured
 * as the count of the empty string, so counts of pieces add up to the count of their join.
 */
export function contentCounter(counter: TokenCounter): { counter: TokenCounter; overhead: number } {
  const overhead = Math.max(0, counter.countTokens(''));
  if (overhead === 0) return { counter, overhead };
  const countTokens = (text: string) => Math.max(0, counter.countTokens(text) - overhead);
  return { counter: { maxTokens: counter.maxTokens - overhead, countTokens }, overhead };
}

interface UnitContext {
  text: string;
  counter: TokenCounter;
  budget: number;
  units: Unit[];
}

function collectUnits(ctx: UnitContext, span: Unit, level: number): void {
  if (span.tokens <= ctx.budget) {
    ctx.units.push(span);
    return;
  }
  const separator = SEPARATORS[level];
  if (!separator) {
    hardSplit(ctx, span);
    return;
  }
  const pieces = splitSpan(ctx.text, span, separator);
  if (pieces.length <= 1) {
    collectUnits(ctx, span, level + 1);
    return;
  }
  for (const piece of pieces) {
    const tokens = ctx.counter.countTokens(ctx.text.slice(piece.start, piece.end));
    collectUnits(ctx, { ...piece, tokens }, level + 1);
  }
}

/** Non-empty, whitespace-trimmed pieces of a span between matches of `separator`. */
function splitSpan(text: string, span: Unit, separator: RegExp): Array<{ start: number; end: number }> {
  const pieces: Array<{ start: number; end: number }> = [];
  const body = text.slice(span.start, span.end);
  let cursor = 0;
  const push = (from: number, to: number) => {
    const piece = trimSpan(body, from, to);
    if (piece) pieces.push({ start: span.start + piece.start, end: span.start + piece.end });
  };
  for (const match of body.matchAll(separator)) {
    push(cursor, match.index);
    cursor = match.index + match[0].length;
  }
  push(cursor, body.length);
  return pieces;
}

function trimSpan(text: string, start: number, end: number): { start: number; end: number } | undefined {
  let from = start;
  let to = end;
  while (from < to && /\s/.test(text[from]!)) from++;
  while (to > from && /\s/.test(text[to - 1]!)) to--;
  return to > from ? { start: from, end: to } : undefined;
}

/** Last resort for a single "word" longer than the budget (a URL, base64, CJK without spaces): cut by characters. */
function hardSplit(ctx: UnitContext, span: Unit): void {
  let start = span.start;
  const charsPerToken = (span.end - span.start) / Math.max(1, span.tokens);
  while (start < span.end) {
    let length = Math.max(1, Math.floor(ctx.budget * charsPerToken * 0.9));
    let end = safeCut(ctx.text, start, Math.min(span.end, start + length));
    let tokens = ctx.counter.countTokens(ctx.text.slice(start, end));
    while (tokens > ctx.budget && end - start > 1) {
      length = Math.max(1, Math.floor((end - start) * Math.min(0.9, ctx.budget / tokens)));
      end = safeCut(ctx.text, start, start + length);
      tokens = ctx.counter.countTokens(ctx.text.slice(start, end));
    }
    ctx.units.push({ start, end, tokens });
    start = end;
  }
}

/** Moves a cut back by one when it would separate a surrogate pair, but never to an empty piece. */
function safeCut(text: string, start: number, end: number): number {
  const code = text.charCodeAt(end - 1);
  return code >= 0xd800 && code <= 0xdbff && end - 1 > start ? end - 1 : end;
}
