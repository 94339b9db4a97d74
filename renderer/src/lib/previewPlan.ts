import type { NoteContent } from '../contract.ts';

/**
 * Deeper nesting than this is shown as plain text: Markdown and HTML parsers recurse per level, and
 * a note of a few thousand nested list items or tags would freeze the window while they do.
 */
export const MAX_RENDERED_NESTING = 32;

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
  const depth = note.format === 'markdown' ? markdownNesting(note.content) : htmlNesting(note.content);
  if (depth <= MAX_RENDERED_NESTING) return { as: 'markup' };
  return {
    as: 'text',
    notice: `This note nests ${count(depth)} levels deep, too deep to render safely: shown as plain text.`,
  };
}

/** The deepest list indentation (two columns a level, a tab four) plus quote markers of any line. */
export function markdownNesting(content: string): number {
  let deepest = 0;
  for (const match of content.matchAll(/^([ \t>]*)/gm)) {
    const prefix = match[1]!;
    // A prefix is at most as deep as it is long (a quote marker counts one level per character).
    if (prefix.length <= deepest) continue;
    let columns = 0;
    let quotes = 0;
    for (const char of prefix) {
      if (char === '>') quotes++;
      else columns += char === '\t' ? 4 : 1;
    }
    deepest = Math.max(deepest, quotes + Math.floor(columns / 2));
  }
  return deepest;
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
