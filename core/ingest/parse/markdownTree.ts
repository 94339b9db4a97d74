/**
 * The one Markdown parser of Driftless, with its one configuration (CommonMark plus GitHub Flavored
 * Markdown: tables, strikethrough, task lists, autolinks, footnotes). The index reads a note's text
 * from these trees and the preview renders the same trees, so what is found is what is shown.
 *
 * Runtime-neutral (no Node APIs): the renderer imports this file too.
 */
import type { Root, RootContent, Table } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import { markdownSegments, type MarkdownSegment } from './markdownSegments.ts';

/** More emphasis delimiters than this in one block are taken literally (see tameEmphasis). */
const MAX_DELIMITERS_PER_BLOCK = 500;
/** `*` or `_` that is not a list bullet (bullets start a line, after indentation). */
const INLINE_DELIMITER = /(?<!^[ \t]*)(?<!\\)[*_]/gm;

const PARSE_OPTIONS = { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] };

/** A piece of a note: its parsed tree, or its text where it is read as plain text (markdownSegments). */
export type MarkdownPiece =
  | { tree: Root; continuesTable: boolean }
  | { plainText: string; plainBecause: NonNullable<MarkdownSegment['plainBecause']> };

/**
 * A Markdown body (front matter removed, `\n` line ends) piece by piece, each parsed in bounded time
 * (see markdownSegments). A piece that continues a table cut in two holds that table's further rows
 * only, its head dropped, and says so (`continuesTable`).
 */
export function* markdownPieces(body: string): Generator<MarkdownPiece> {
  for (const segment of markdownSegments(body)) {
    if (segment.plainBecause) yield { plainText: segment.text, plainBecause: segment.plainBecause };
    else if (segment.tableHead === undefined) yield { tree: parsePiece(segment.text), continuesTable: false };
    else yield tableContinuation(segment.tableHead, segment.text);
  }
}

/**
 * The whole body as one tree, for the preview: a table cut in two is joined again, and a piece read as
 * plain text becomes paragraphs of its text, as it is indexed.
 */
export function markdownTree(body: string): Root {
  const children: RootContent[] = [];
  for (const piece of markdownPieces(body)) {
    if ('plainText' in piece) children.push(...plainParagraphs(piece.plainText));
    else if (piece.continuesTable && children.at(-1)?.type === 'table') {
      const [rows, ...rest] = piece.tree.children;
      (children.at(-1) as Table).children.push(...(rows as Table).children);
      children.push(...rest);
    } else children.push(...piece.tree.children);
  }
  return { type: 'root', children };
}

/** The paragraphs of a text read as plain (split at blank lines), each one text node. */
export function plainBlocks(text: string): string[] {
  return text.split(/\n[ \t]*\n/);
}

function plainParagraphs(text: string): RootContent[] {
  return plainBlocks(text)
    .filter((block) => block.trim())
    .map((block) => ({ type: 'paragraph', children: [{ type: 'text', value: block }] }));
}

function parsePiece(text: string): Root {
  return fromMarkdown(tameEmphasis(text), PARSE_OPTIONS);
}

/** Parses rows under their table's head, then drops the head row, so the rows stay one table's. */
function tableContinuation(head: string, rows: string): MarkdownPiece {
  const tree = parsePiece(`${head}\n${rows}`);
  const [first] = tree.children;
  // The segmenter's guess can be wrong (a head GFM refuses, rows that end the table): then the rows
  // are read as they are.
  if (first?.type !== 'table' || first.position?.start.line !== 1 || first.position.end.line <= 2)
    return { tree: parsePiece(rows), continuesTable: false };
  first.children.shift();
  return { tree, continuesTable: true };
}

/**
 * Escapes `*` and `_` in blocks that hold hundreds of them: the Markdown parser matches emphasis in
 * quadratic time (20,000 delimiters took minutes), so a hostile or odd file could stall an import.
 * Such blocks keep their text and lose only their emphasis.
 */
function tameEmphasis(body: string): string {
  return body
    .split(/(\n[ \t]*\n)/)
    .map((block) => {
      const count = block.match(INLINE_DELIMITER)?.length ?? 0;
      return count > MAX_DELIMITERS_PER_BLOCK ? block.replace(INLINE_DELIMITER, '\\$&') : block;
    })
    .join('');
}
