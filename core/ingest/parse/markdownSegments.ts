/**
 * Cuts a Markdown body into pieces that the Markdown parser reads in bounded time.
 *
 * `mdast-util-from-markdown` is super-linear in several ways: in a document's size (a 210 KB note of
 * ordinary headings, lists and links took 22 s), in nesting (`'- '.repeat(12000)` on one line took
 * 89 s) and in delimiters. Parsing pieces of bounded size, and never parsing a piece nested deeper
 * than a person writes, makes the whole parse linear in the note's length: each piece costs at most
 * a constant. Pieces are cut only where the text reads the same either way (between blocks, outside
 * code fences); the only loss is that a reference-style link defined in another piece is not
 * resolved, which the plain text does not need.
 */

import { autolinkCost } from './autolinkCost.ts';

/**
 * A piece is cut at the next top-level block once it holds this many characters. Small, because one
 * list is quadratic in its length to the parser (1 KB of nested list items 28 ms, 16 KB 1.2 s).
 */
export const SEGMENT_TARGET_CHARS = 2_048;
/** Past this, a piece is cut before any list item or paragraph line, indented or not. */
const SEGMENT_FORCE_CHARS = 4 * SEGMENT_TARGET_CHARS;
/** A piece still longer than this (one enormous line or fenced block) is read as plain text. */
export const SEGMENT_MAX_CHARS = 8 * SEGMENT_TARGET_CHARS;
/** Deeper container nesting (lists, quotes) than this is read as plain text. */
export const MAX_MARKDOWN_NESTING = 32;
/**
 * More inline delimiters (emphasis, brackets, code spans, tags) than this in one piece, outside code
 * fences, are read as plain text: the parser matches them against each other in quadratic time.
 */
export const MAX_SEGMENT_DELIMITERS = 1_024;
/**
 * More characters read by GFM's literal autolinks than this in one piece (autolinkCost.ts) are read
 * as plain text: runs of punctuation in a link are re-read from each of their characters. Ordinary
 * text costs at most about twice its length, and a piece is at most SEGMENT_MAX_CHARS long.
 */
export const MAX_SEGMENT_AUTOLINK_COST = 4 * SEGMENT_MAX_CHARS;

export interface MarkdownSegment {
  text: string;
  /** Why this piece is read as plain text instead of Markdown; undefined when it is parsed. */
  plainBecause?: 'too-long' | 'too-deep' | 'too-many-delimiters' | 'too-costly-autolinks';
  /**
   * The header and delimiter rows of a GFM table that the piece before left unfinished: parsed in
   * front of this piece's rows so they stay table rows, then dropped (markdownTree.ts).
   */
  tableHead?: string;
}

/** `*` `_` `[` `]` `(` `)` `` ` `` `<` `>` `!` `~` `&` `|` `\\`: what inline parsing pairs up. */
const DELIMITERS = new Set([...'*_[]()`<>!~&|\\'].map((char) => char.charCodeAt(0)));
const FENCE_OPEN = /^[ \t]*(`{3,}|~{3,})/;
/** A setext heading underline or table delimiter row belongs to the line above it. */
const ATTACHED_LINE = /^(?:=+|-+|\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?)[ \t]*$/;
/** A GFM table's delimiter row (`| --- | :-: |`); it needs a pipe, else it is a setext underline. */
const TABLE_DELIMITER_ROW = /^[ \t]{0,3}(?=[^|]*\|)\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;

/** Splits a Markdown body (front matter already removed, `\n` line ends) into bounded pieces. */
export function markdownSegments(body: string): MarkdownSegment[] {
  const segments: MarkdownSegment[] = [];
  let lines: string[] = [];
  let size = 0;
  let depth = 0;
  let delimiters = 0;
  let autolinks = 0;
  let fence: string | undefined;
  /** Indentation taken off every line of a piece cut before an indented line, so its lists stay lists. */
  let dedent = 0;
  /** The header and delimiter rows of the top-level table the last line belongs to. */
  let table: string | undefined;
  /** The table head this piece's first rows continue. */
  let tableHead: string | undefined;
  const flush = () => {
    if (lines.length === 0) return;
    const text = lines.join('\n');
    const plainBecause =
      size > SEGMENT_MAX_CHARS
        ? 'too-long'
        : depth > MAX_MARKDOWN_NESTING
          ? 'too-deep'
          : delimiters > MAX_SEGMENT_DELIMITERS
            ? 'too-many-delimiters'
            : autolinks > MAX_SEGMENT_AUTOLINK_COST
              ? 'too-costly-autolinks'
              : undefined;
    segments.push(plainBecause ? { text, plainBecause } : tableHead ? { text, tableHead } : { text });
    lines = [];
    size = 0;
    depth = 0;
    delimiters = 0;
    autolinks = 0;
    dedent = 0;
    tableHead = undefined;
  };
  for (const raw of body.split('\n')) {
    // A block too long or too costly to parse gets a piece of its own, so what comes before it (the
    // note's title heading above a 50 MB line) is still read as Markdown.
    const lineAutolinks = autolinkCost(raw);
    const overflows =
      size + raw.length >= SEGMENT_MAX_CHARS || autolinks + lineAutolinks > MAX_SEGMENT_AUTOLINK_COST;
    // A row of a table cut in two: the next piece parses it under the table's head again.
    const continuesTable = table !== undefined && raw.includes('|');
    if (fence === undefined && (size >= SEGMENT_TARGET_CHARS || overflows) && startsTopLevelBlock(raw)) {
      flush();
      if (continuesTable) tableHead = table;
    } else if (fence === undefined && size >= SEGMENT_FORCE_CHARS && startsIndentedBlock(raw)) {
      flush();
      dedent = indentation(raw);
    }
    const line = dedent > 0 ? raw.slice(Math.min(dedent, indentation(raw))) : raw;
    const blank = line.trim() === '';
    fence = nextFence(fence, line);
    table = fence === undefined ? nextTable(table, lines.at(-1), line) : undefined;
    lines.push(line);
    size += line.length + 1;
    if (fence === undefined && !blank) {
      depth = Math.max(depth, containerDepth(line, depth));
      delimiters += countDelimiters(line);
      autolinks += lineAutolinks;
    }
  }
  flush();
  return segments;
}

/**
 * The head (header and delimiter rows) of the top-level table that `line` belongs to: a delimiter
 * row under a header row of as many cells starts one; a blank line or a line without a pipe ends it.
 */
function nextTable(open: string | undefined, previous: string | undefined, line: string): string | undefined {
  if (!line.includes('|') || indentation(line) > 3) return undefined;
  if (open !== undefined) return open;
  if (previous === undefined || !TABLE_DELIMITER_ROW.test(line) || indentation(previous) > 3)
    return undefined;
  const head = `${previous}\n${line}`;
  // A head longer than a piece is not repeated: the rows after a cut are read as paragraphs.
  return cellCount(previous) === cellCount(line) && head.length <= SEGMENT_TARGET_CHARS ? head : undefined;
}

/** Cells of a table row: its unescaped pipes, less a leading and a trailing one. */
function cellCount(row: string): number {
  const trimmed = row.trim();
  const pipes = trimmed.match(/(?<!\\)\|/g)?.length ?? 0;
  return (
    pipes + 1 - (trimmed.startsWith('|') ? 1 : 0) - (trimmed.endsWith('|') && trimmed.length > 1 ? 1 : 0)
  );
}

function countDelimiters(line: string): number {
  let count = 0;
  for (let i = 0; i < line.length; i++) if (DELIMITERS.has(line.charCodeAt(i))) count++;
  return count;
}

/** Leading spaces and tabs. */
function indentation(line: string): number {
  let i = 0;
  while (line[i] === ' ' || line[i] === '\t') i++;
  return i;
}

/** An indented list item: where a piece that grew too long is cut (and the rest dedented). */
function startsIndentedBlock(line: string): boolean {
  const indent = indentation(line);
  return indent > 0 && indent < line.length && listMarkerLength(line, indent) > 0;
}

function startsTopLevelBlock(line: string): boolean {
  const first = line.charCodeAt(0);
  // Not blank, not indented (a continuation of the block above) and not attached to the line above.
  return line.length > 0 && first !== 0x20 && first !== 0x09 && !ATTACHED_LINE.test(line);
}

/** The open code fence after `line`: opened by ``` or ~~~, closed by a line of the same at least as long. */
function nextFence(open: string | undefined, line: string): string | undefined {
  const marker = FENCE_OPEN.exec(line)?.[1];
  if (open === undefined) {
    // A backtick fence's info string may not hold backticks; then it is inline code, not a fence.
    if (marker && !(marker[0] === '`' && line.slice(line.indexOf(marker) + marker.length).includes('`')))
      return marker;
    return undefined;
  }
  const closes =
    marker !== undefined && marker[0] === open[0] && marker.length >= open.length && line.trim() === marker;
  return closes ? undefined : open;
}

/**
 * How deeply a line's start nests containers: quote markers and list markers (also several on one
 * line, `- - - x`) one level each, indentation one level per two columns. Reads at most the line's
 * prefix and stops once the line cannot be deeper than `known`, so the whole scan stays linear.
 */
export function containerDepth(line: string, known = 0): number {
  let levels = 0;
  let columns = 0;
  let i = 0;
  while (i < line.length) {
    const char = line[i]!;
    if (char === ' ') columns++;
    else if (char === '\t') columns += 4;
    else if (char === '>') levels++;
    else {
      const marker = listMarkerLength(line, i);
      if (marker === 0) break;
      levels++;
      i += marker;
      continue;
    }
    i++;
    // The rest of the line is at most its length deep; stop when it cannot beat what is known.
    if (levels + Math.floor(columns / 2) + (line.length - i) < known) break;
  }
  return levels + Math.floor(columns / 2);
}

/** Characters of a list marker with its space at `i` (`-`, `*`, `+`, `1.`, `1)`), else 0. */
function listMarkerLength(line: string, i: number): number {
  const char = line[i]!;
  let end = i;
  if (char === '-' || char === '*' || char === '+') end = i + 1;
  else {
    while (end < line.length && end - i < 9 && line.charCodeAt(end) >= 0x30 && line.charCodeAt(end) <= 0x39)
      end++;
    if (end === i || (line[end] !== '.' && line[end] !== ')')) return 0;
    end++;
  }
  if (end === line.length) return end - i;
  return line[end] === ' ' || line[end] === '\t' ? end - i + 1 : 0;
}
