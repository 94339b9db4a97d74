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
  let piece = new Piece();
  let fence: string | undefined;
  /** The header and delimiter rows of the top-level table the last line belongs to. */
  let table: string | undefined;
  for (const raw of body.split('\n')) {
    const lineAutolinks = autolinkCost(raw);
    const next = fence === undefined ? cutBefore(piece, raw, lineAutolinks, table) : undefined;
    if (next) {
      if (!piece.empty) segments.push(piece.toSegment());
      piece = new Piece(next);
    }
    const line = piece.dedent(raw);
    fence = nextFence(fence, line);
    table = fence === undefined ? nextTable(table, piece.lines.at(-1), line) : undefined;
    piece.add(line, fence !== undefined, lineAutolinks);
  }
  if (!piece.empty) segments.push(piece.toSegment());
  return segments;
}

/** How a piece after a cut begins. */
interface PieceStart {
  /** Indentation taken off every line of a piece cut before an indented line, so its lists stay lists. */
  readonly dedent?: number;
  /** The table head this piece's first rows continue. */
  readonly tableHead?: string;
}

/**
 * Whether the piece ends before `raw` (a line outside code fences), and how the next one begins;
 * undefined when `raw` joins the piece.
 */
function cutBefore(
  piece: Piece,
  raw: string,
  lineAutolinks: number,
  table: string | undefined,
): PieceStart | undefined {
  // A block too long or too costly to parse gets a piece of its own, so what comes before it (the
  // note's title heading above a 50 MB line) is still read as Markdown.
  const overflows =
    piece.size + raw.length >= SEGMENT_MAX_CHARS ||
    piece.autolinks + lineAutolinks > MAX_SEGMENT_AUTOLINK_COST;
  if ((piece.size >= SEGMENT_TARGET_CHARS || overflows) && startsTopLevelBlock(raw))
    // A row of a table cut in two: the next piece parses it under the table's head again.
    return table !== undefined && raw.includes('|') ? { tableHead: table } : {};
  if (piece.size >= SEGMENT_FORCE_CHARS && startsIndentedBlock(raw)) return { dedent: indentation(raw) };
  return undefined;
}

/** The piece being filled, and what it holds that decides whether the parser may read it. */
class Piece {
  readonly lines: string[] = [];
  /** Characters, line ends included. */
  size = 0;
  /** Characters GFM's literal autolinks read (autolinkCost.ts), outside code fences. */
  autolinks = 0;
  #depth = 0;
  #delimiters = 0;

  constructor(private readonly start: PieceStart = {}) {}

  get empty(): boolean {
    return this.lines.length === 0;
  }

  /** `raw` less the indentation this piece takes off its lines (PieceStart.dedent). */
  dedent(raw: string): string {
    const dedent = this.start.dedent ?? 0;
    return dedent > 0 ? raw.slice(Math.min(dedent, indentation(raw))) : raw;
  }

  /** Adds a line; only lines outside code fences count towards what the parser pairs up and nests. */
  add(line: string, inFence: boolean, lineAutolinks: number): void {
    this.lines.push(line);
    this.size += line.length + 1;
    if (inFence || line.trim() === '') return;
    this.#depth = Math.max(this.#depth, containerDepth(line, this.#depth));
    this.#delimiters += countDelimiters(line);
    this.autolinks += lineAutolinks;
  }

  toSegment(): MarkdownSegment {
    const text = this.lines.join('\n');
    const plainBecause = this.#plainBecause();
    if (plainBecause) return { text, plainBecause };
    return this.start.tableHead ? { text, tableHead: this.start.tableHead } : { text };
  }

  #plainBecause(): MarkdownSegment['plainBecause'] {
    if (this.size > SEGMENT_MAX_CHARS) return 'too-long';
    if (this.#depth > MAX_MARKDOWN_NESTING) return 'too-deep';
    if (this.#delimiters > MAX_SEGMENT_DELIMITERS) return 'too-many-delimiters';
    if (this.autolinks > MAX_SEGMENT_AUTOLINK_COST) return 'too-costly-autolinks';
    return undefined;
  }
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
