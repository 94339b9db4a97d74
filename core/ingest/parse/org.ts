import type { ParsedNote } from '../types.ts';
import { NoteBuilder, normalizeSource, titleFromPath, unique } from './noteBuilder.ts';

const HEADING = /^(\*+)\s+(.*)$/;
const HEADING_TAGS = /\s+:((?:[\p{L}\p{N}_@#%]+:)+)\s*$/u;
const TODO_KEYWORD = /^(?:TODO|DONE|NEXT|WAITING|HOLD|CANCELLED|CANCELED)\s+/;
const PRIORITY = /^\[#[A-Z0-9]\]\s*/;
const KEYWORD = /^#\+(\w+):\s*(.*)$/;
const BLOCK_BEGIN = /^#\+begin_\w+/i;
const BLOCK_END = /^#\+end_\w+/i;
const DRAWER_START = /^:[A-Z][A-Z0-9_-]*:\s*$/;
const DRAWER_END = /^:END:\s*$/i;
const COMMENT = /^#(?:\s|$)/;
/** Targets and descriptions hold no brackets, so a run of thousands of `[[` fails fast at each one. */
const LINK = /\[\[([^[\]]+)\](?:\[([^[\]]*)\])?\]/g;
const URL_SCHEME = /^([a-z][a-z0-9+.-]*):/i;

interface OrgState {
  builder: NoteBuilder;
  tags: string[];
  links: string[];
  keywords: Map<string, string>;
  paragraph: string[];
  mode: 'text' | 'block' | 'drawer';
}

/** Parses an Org file: `#+TITLE`, `#+FILETAGS`, `*` headings with `:tags:`, drawers dropped, links as text. */
export function parseOrg(relPath: string, content: string): ParsedNote {
  const state: OrgState = {
    builder: new NoteBuilder(),
    tags: [],
    links: [],
    keywords: new Map(),
    paragraph: [],
    mode: 'text',
  };
  for (const line of normalizeSource(content).split('\n')) readLine(line, state);
  flushParagraph(state);
  const fileTags = (state.keywords.get('filetags') ?? '').split(/[:\s]+/).filter(Boolean);
  const { text, sections } = state.builder.build();
  const date = orgDate(state.keywords.get('date'));
  return {
    title: state.keywords.get('title')?.trim() || titleFromPath(relPath),
    text,
    tags: unique([...fileTags, ...state.tags]),
    aliases: [],
    links: unique(state.links),
    sections,
    ...(date ? { created: date } : {}),
  };
}

function readLine(line: string, state: OrgState): void {
  const trimmed = line.trim();
  if (state.mode === 'drawer') {
    if (DRAWER_END.test(trimmed)) state.mode = 'text';
    return;
  }
  if (state.mode === 'block') {
    if (BLOCK_END.test(trimmed)) endBlock(state);
    else state.paragraph.push(line);
    return;
  }
  readTextLine(line, trimmed, state);
}

function readTextLine(line: string, trimmed: string, state: OrgState): void {
  const heading = HEADING.exec(line);
  if (heading) return addHeading(heading[1]!.length, heading[2]!, state);
  if (BLOCK_BEGIN.test(trimmed)) {
    flushParagraph(state);
    state.mode = 'block';
    return;
  }
  const keyword = KEYWORD.exec(trimmed);
  if (keyword) return void state.keywords.set(keyword[1]!.toLowerCase(), keyword[2]!);
  if (DRAWER_START.test(trimmed)) {
    state.mode = 'drawer';
    return;
  }
  if (COMMENT.test(trimmed)) return;
  if (!trimmed) return flushParagraph(state);
  state.paragraph.push(replaceLinks(trimmed, state));
}

function addHeading(level: number, rawTitle: string, state: OrgState): void {
  flushParagraph(state);
  let title = rawTitle;
  const tagMatch = HEADING_TAGS.exec(title);
  if (tagMatch) {
    state.tags.push(...tagMatch[1]!.split(':').filter(Boolean));
    title = title.slice(0, tagMatch.index);
  }
  title = title.replace(TODO_KEYWORD, '').replace(PRIORITY, '');
  state.builder.addHeading(level, replaceLinks(title, state));
}

function endBlock(state: OrgState): void {
  // Code keeps its own line breaks and indentation; it is one block.
  state.builder.addBlock(state.paragraph.join('\n'));
  state.paragraph = [];
  state.mode = 'text';
}

function flushParagraph(state: OrgState): void {
  state.builder.addBlock(state.paragraph.join('\n'));
  state.paragraph = [];
}

/** `[[target][description]]` reads as its description; file links and internal targets are collected. */
function replaceLinks(text: string, state: OrgState): string {
  return text.replace(LINK, (_match, target: string, description: string | undefined) => {
    const scheme = URL_SCHEME.exec(target)?.[1]?.toLowerCase();
    if (scheme === 'file') state.links.push(target.slice('file:'.length));
    else if (!scheme && !/^[*#]/.test(target)) state.links.push(target);
    return description?.trim() || target;
  });
}

function orgDate(value: string | undefined): string | undefined {
  const ms = Date.parse((value ?? '').replace(/[<>[\]]/g, '').replace(/\s+[A-Za-z]{2,3}\b/, ''));
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
