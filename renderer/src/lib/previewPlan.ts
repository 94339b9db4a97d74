import type { NoteContent } from '../contract.ts';

/**
 * Deeper nesting than this is shown as plain text: Markdown and HTML parsers recurse per level, and
 * a note of a few thousand nested list items or tags would freeze the window while they do.
 */
export const MAX_RENDERED_NESTING = 32;
/**
 * More inline delimiters than this in one paragraph are shown as plain text: matching emphasis and
 * brackets is quadratic (`'*a '.repeat(20000)` froze the window for 30-40 s, then blanked it).
 */
export const MAX_RENDERED_DELIMITERS = 1_000;

export interface PreviewPlan {
  /** 'markup' renders Markdown or HTML (sanitised); 'text' shows the characters as they are. */
  as: 'markup' | 'text';
  /** Why the note is not shown whole or not rendered, for the reader. */
  notice?: string;
}

/** How the preview shows a note: rendered, or as plain text with the reason. */
export function previewPlan(note: NoteContent): PreviewPlan {
  if (note.excerpt) {
    const { start, end, totalChars } = note.excerpt;
    return {
      as: 'text',
      notice:
        `This note is long: showing characters ${count(start + 1)}–${count(end)} of ${count(totalChars)} ` +
        'as plain text. Open it in your editor to see all of it.',
    };
  }
  if (note.format !== 'markdown' && note.format !== 'html') return { as: 'text' };
  if (note.format === 'markdown') {
    const delimiters = markdownDelimiters(note.content);
    if (delimiters > MAX_RENDERED_DELIMITERS)
      return {
        as: 'text',
        notice: `One paragraph of this note holds ${count(delimiters)} markup characters, too many to render safely: shown as plain text.`,
      };
  }
  const depth = note.format === 'markdown' ? markdownNesting(note.content) : htmlNesting(note.content);
  if (depth <= MAX_RENDERED_NESTING) return { as: 'markup' };
  return {
    as: 'text',
    notice: `This note nests ${count(depth)} levels deep, too deep to render safely: shown as plain text.`,
  };
}

/**
 * The deepest list indentation (two columns a level, a tab four) plus quote markers of any line,
 * plus list markers after a line's first (`- - - x` nests three lists on one line: 2,500 of them
 * overflowed the renderer's stack).
 */
export function markdownNesting(content: string): number {
  let deepest = 0;
  for (const match of content.matchAll(/^[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+[ \t>]*)*/gm)) {
    const prefix = match[0];
    // A prefix is at most as deep as it is long (a quote marker counts one level per character).
    if (prefix.length <= deepest) continue;
    deepest = Math.max(deepest, prefixDepth(prefix));
  }
  return deepest;
}

function prefixDepth(prefix: string): number {
  let columns = 0;
  let quotes = 0;
  let markers = 0;
  for (let i = 0; i < prefix.length; i++) {
    const char = prefix[i]!;
    if (char === '>') quotes++;
    else if (char === ' ') columns++;
    else if (char === '\t') columns += 4;
    else {
      markers++;
      while (i + 1 < prefix.length && /[\d.)]/.test(prefix[i + 1]!)) i++;
      // The space that ends a marker belongs to it.
      if (prefix[i + 1] === ' ' || prefix[i + 1] === '\t') i++;
      if (markers > 1) columns = 0;
    }
  }
  return quotes + Math.floor(columns / 2) + Math.max(0, markers - 1);
}

/**
 * `*` `_` `[` `]` `` ` `` `<` `!` `~`: what inline parsing pairs up. Table pipes are not: rows split
 * into cells in one pass, so a table of thousands of rows still renders as a table.
 */
const DELIMITER = /[*_[\]`<!~]/g;

/** The most inline delimiters in one paragraph (text between blank lines) of a Markdown text. */
export function markdownDelimiters(content: string): number {
  let most = 0;
  for (const block of content.split(/\n[ \t]*\n/)) {
    if (block.length <= most) continue;
    most = Math.max(most, block.match(DELIMITER)?.length ?? 0);
  }
  return most;
}

const VOID_TAGS = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);

/** The deepest element nesting of an HTML text, counted from its tags (unclosed tags count as open). */
export function htmlNesting(content: string): number {
  let depth = 0;
  let deepest = 0;
  for (const match of content.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = match;
    if (VOID_TAGS.has(name!.toLowerCase()) || selfClosing) continue;
    depth = closing ? Math.max(0, depth - 1) : depth + 1;
    deepest = Math.max(deepest, depth);
  }
  return deepest;
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}
