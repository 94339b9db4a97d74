import type { Nodes, PhrasingContent, RootContent } from 'mdast';
import type { ParsedNote } from '../types.ts';
import { splitFrontMatter } from './frontMatter.ts';
import { htmlFragmentText } from './html.ts';
import { markdownPieces, plainBlocks } from './markdownTree.ts';
import { NoteBuilder, normalizeSource, titleFromPath, unique } from './noteBuilder.ts';

/** `[[target]]`, `[[target|alias]]` and embeds `![[target]]`. */
const WIKILINK = /!?\[\[([^[\]|\n]+?)(?:\|([^[\]\n]*))?\]\]/g;
/** `#tag` or `#nested/tag` after whitespace or an opening bracket; headings need a space so never match. */
const INLINE_TAG = /(?<![^\s([{,;])#([\p{L}\p{N}_\-/]+)/gu;
const URL_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

interface MarkdownState {
  builder: NoteBuilder;
  tags: string[];
  links: string[];
  firstH1?: string;
}

/**
 * Parses Markdown (with GFM: a table's cells and struck-through text are read as text) with optional
 * YAML front matter into plain text, sections, tags and wikilinks.
 */
export function parseMarkdown(relPath: string, content: string): ParsedNote {
  const steps = markdownSteps(relPath, content);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * parseMarkdown one piece at a time: the generator pauses after each piece (a few milliseconds of
 * work), so a caller on a thread that serves requests can let them in between (parseNoteYielding).
 */
export function* markdownSteps(relPath: string, content: string): Generator<void, ParsedNote> {
  const { data, body, unreadable } = splitFrontMatter(normalizeSource(content));
  const state: MarkdownState = { builder: new NoteBuilder(), tags: [...(data?.tags ?? [])], links: [] };
  if (unreadable) state.builder.addBlock(unreadable);
  // Piece by piece, so the parse stays linear in the note's length (see markdownSegments).
  for (const piece of markdownPieces(body)) {
    if ('plainText' in piece) addPlainText(piece.plainText, state);
    else addBlocks(piece.tree.children, state);
    yield;
  }
  const { text, sections } = state.builder.build();
  return {
    title: data?.title ?? state.firstH1 ?? titleFromPath(relPath),
    text,
    tags: unique(state.tags),
    aliases: data?.aliases ?? [],
    links: unique(state.links),
    sections,
    ...(data?.created ? { created: data.created } : {}),
    ...(data?.updated ? { updated: data.updated } : {}),
  };
}

/**
 * Walks the block tree with an explicit stack rather than recursion: a note of thousands of nested
 * quotes or list items must not overflow the call stack.
 */
function addBlocks(nodes: readonly RootContent[], state: MarkdownState): void {
  const stack = [...nodes].reverse();
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (addLeafBlock(node, state)) continue;
    if ('children' in node) stack.push(...[...(node.children as RootContent[])].reverse());
    else if ('value' in node && typeof node.value === 'string') state.builder.addBlock(node.value);
  }
}

/** A piece too long or too deeply nested to parse: its paragraphs as they are, with their #tags. */
function addPlainText(text: string, state: MarkdownState): void {
  for (const block of plainBlocks(text)) {
    collectTags(block, state.tags);
    state.builder.addBlock(block);
  }
}

/** Adds a block that is not a container; false for containers, whose children come next. */
function addLeafBlock(node: RootContent, state: MarkdownState): boolean {
  switch (node.type) {
    case 'heading': {
      const title = inlineText(node.children, state);
      if (node.depth === 1 && state.firstH1 === undefined && title.trim()) state.firstH1 = title.trim();
      state.builder.addHeading(node.depth, title);
      return true;
    }
    case 'paragraph':
    case 'tableCell':
      // A table cell is a block of its own, as it is an element of its own in the preview.
      state.builder.addBlock(inlineText(node.children, state));
      return true;
    case 'code':
      state.builder.addBlock(node.value);
      return true;
    case 'html':
      state.builder.addBlock(htmlFragmentText(node.value));
      return true;
    case 'definition':
    case 'thematicBreak':
      return true;
    default:
      return false;
  }
}

/** Plain text of inline content, with wikilinks shown as their alias or target and collected as links. */
function inlineText(nodes: readonly PhrasingContent[], state: MarkdownState): string {
  const raw = phrasingText(nodes, state);
  return raw.replace(WIKILINK, (_match, target: string, alias: string | undefined) => {
    const note = target.split(/[#^]/)[0]!.trim();
    if (note) state.links.push(note);
    return (alias?.trim() || target).trim();
  });
}

/** The text of inline nodes in order, walked with an explicit stack (emphasis can nest thousands deep). */
function phrasingText(nodes: readonly Nodes[], state: MarkdownState): string {
  const parts: string[] = [];
  const stack = [...nodes].reverse();
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (node.type === 'link' && !URL_SCHEME.test(node.url) && !node.url.startsWith('#'))
      state.links.push(decodeSafely(node.url));
    const leaf = leafText(node, state);
    if (leaf !== undefined) parts.push(leaf);
    else if ('children' in node) stack.push(...[...(node.children as Nodes[])].reverse());
  }
  return parts.join('');
}

/** The text of an inline node without children; undefined for nodes whose children carry the text. */
function leafText(node: Nodes, state: MarkdownState): string | undefined {
  switch (node.type) {
    case 'text':
      collectTags(node.value, state.tags);
      return node.value;
    case 'inlineCode':
      return node.value;
    case 'break':
      return '\n';
    case 'image':
    case 'imageReference':
      return node.alt ?? '';
    case 'html':
      return '';
    default:
      return 'children' in node ? undefined : '';
  }
}

function collectTags(text: string, tags: string[]): void {
  for (const match of text.matchAll(INLINE_TAG)) {
    const tag = match[1]!.replace(/\/+$/, '');
    if (/\D/.test(tag)) tags.push(tag);
  }
}

function decodeSafely(url: string): string {
  try {
    return decodeURI(url);
  } catch {
    return url;
  }
}
