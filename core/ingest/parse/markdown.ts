import type { Nodes, PhrasingContent, RootContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { titleFromPath } from '../formats.ts';
import type { ParsedNote } from '../types.ts';
import { splitFrontMatter } from './frontMatter.ts';
import { htmlFragmentText } from './html.ts';
import { NoteBuilder, normalizeSource, unique } from './noteBuilder.ts';

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

/** Parses Markdown with optional YAML front matter into plain text, sections, tags and wikilinks. */
export function parseMarkdown(relPath: string, content: string): ParsedNote {
  const { data, body, unreadable } = splitFrontMatter(normalizeSource(content));
  const state: MarkdownState = { builder: new NoteBuilder(), tags: [...(data?.tags ?? [])], links: [] };
  if (unreadable) state.builder.addBlock(unreadable);
  addBlocks(fromMarkdown(body).children, state);
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

function addBlocks(nodes: readonly RootContent[], state: MarkdownState): void {
  for (const node of nodes) addBlock(node, state);
}

function addBlock(node: RootContent, state: MarkdownState): void {
  switch (node.type) {
    case 'heading': {
      const title = inlineText(node.children, state);
      if (node.depth === 1 && state.firstH1 === undefined && title.trim()) state.firstH1 = title.trim();
      state.builder.addHeading(node.depth, title);
      return;
    }
    case 'paragraph':
      state.builder.addBlock(inlineText(node.children, state));
      return;
    case 'code':
      state.builder.addBlock(node.value);
      return;
    case 'html':
      state.builder.addBlock(htmlFragmentText(node.value));
      return;
    case 'definition':
    case 'thematicBreak':
      return;
    default:
      if ('children' in node) addBlocks(node.children as RootContent[], state);
      else if ('value' in node && typeof node.value === 'string') state.builder.addBlock(node.value);
  }
}

/** Plain text of inline content, with wikilinks shown as their alias or target and collected as links. */
function inlineText(nodes: readonly PhrasingContent[], state: MarkdownState): string {
  const raw = nodes.map((node) => phrasingText(node, state)).join('');
  return raw.replace(WIKILINK, (_match, target: string, alias: string | undefined) => {
    const note = target.split(/[#^]/)[0]!.trim();
    if (note) state.links.push(note);
    return (alias?.trim() || target).trim();
  });
}

function phrasingText(node: Nodes, state: MarkdownState): string {
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
    case 'link':
      if (!URL_SCHEME.test(node.url) && !node.url.startsWith('#')) state.links.push(decodeSafely(node.url));
      return node.children.map((child) => phrasingText(child, state)).join('');
    default:
      return 'children' in node
        ? node.children.map((child) => phrasingText(child as Nodes, state)).join('')
        : '';
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
