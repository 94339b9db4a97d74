import { Parser } from 'htmlparser2';
import type { ParsedNote } from '../types.ts';
import { NoteBuilder, normalizeSource, titleFromPath, unique } from './noteBuilder.ts';

/** Elements whose content is never text a person reads. */
const HIDDEN = new Set(['script', 'style', 'noscript', 'template', 'svg', 'canvas', 'iframe', 'object']);
const BLOCKS = new Set(
  'address article aside blockquote body dd details dialog div dl dt fieldset figcaption figure footer form header hr html li main nav ol p section summary table tbody thead tfoot tr ul'.split(
    ' ',
  ),
);
const CELLS = new Set(['td', 'th']);
const HEADING = /^h([1-6])$/;
const URL_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** Walks HTML once and feeds blocks and headings to a NoteBuilder. */
class HtmlTextCollector {
  readonly builder = new NoteBuilder();
  readonly links: string[] = [];
  title = '';
  firstH1: string | undefined;
  #buffer = '';
  #hiddenDepth = 0;
  #preDepth = 0;
  #inTitle = false;
  #headingLevel = 0;

  open(name: string, attributes: Record<string, string>): void {
    if (HIDDEN.has(name)) this.#hiddenDepth++;
    if (this.#hiddenDepth > 0) return;
    if (name === 'title') this.#inTitle = true;
    else if (name === 'br') this.#buffer += '\n';
    else if (CELLS.has(name)) this.#buffer += ' ';
    else if (name === 'a' && attributes.href) this.#addLink(attributes.href);
    else if (name === 'pre' || BLOCKS.has(name) || HEADING.test(name)) this.#startBlock(name);
  }

  text(data: string): void {
    if (this.#hiddenDepth > 0) return;
    if (this.#inTitle) this.title += data;
    else this.#buffer += this.#preDepth > 0 ? data : data.replace(/\s+/g, ' ');
  }

  close(name: string): void {
    if (HIDDEN.has(name)) this.#hiddenDepth = Math.max(0, this.#hiddenDepth - 1);
    if (this.#hiddenDepth > 0) return;
    if (name === 'title') this.#inTitle = false;
    else if (name === 'pre' || BLOCKS.has(name) || HEADING.test(name)) this.flush();
    if (name === 'pre') this.#preDepth = Math.max(0, this.#preDepth - 1);
  }

  /** Ends the current block: a heading becomes a section, anything else a paragraph. */
  flush(): void {
    const text = this.#preDepth > 0 ? this.#buffer : tidyLines(this.#buffer);
    this.#buffer = '';
    if (this.#headingLevel > 0) {
      if (this.#headingLevel === 1 && this.firstH1 === undefined && text.trim()) this.firstH1 = text.trim();
      this.builder.addHeading(this.#headingLevel, text);
      this.#headingLevel = 0;
    } else {
      this.builder.addBlock(text);
    }
  }

  #startBlock(name: string): void {
    this.flush();
    if (name === 'pre') this.#preDepth++;
    const level = HEADING.exec(name)?.[1];
    if (level) this.#headingLevel = Number(level);
  }

  #addLink(href: string): void {
    if (!URL_SCHEME.test(href) && !href.startsWith('#')) this.links.push(href);
  }
}

function tidyLines(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .join('\n');
}

/**
 * Deeper element nesting than this is read without its tags: the HTML parser keeps open elements in
 * a list it inserts at the front of, so 50,000 nested `<div>`s are quadratic (4 s for 256 KB).
 */
export const MAX_HTML_NESTING = 256;
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)[^<>]*?(\/?)>/g;
/** Every tag but `<title>`'s, which still names the note. */
const ANY_TAG_BUT_TITLE = /<(?!\/?title[\s>])[^<>]*>/gi;
const VOID_TAGS = new Set('area base br col embed hr img input link meta param source track wbr'.split(' '));

/** Whether elements nest deeper than `limit` anywhere (unclosed ones count as open); one linear pass. */
export function htmlNestsDeeperThan(html: string, limit: number): boolean {
  let depth = 0;
  for (const [, closing, name, selfClosing] of html.matchAll(TAG)) {
    if (VOID_TAGS.has(name!.toLowerCase()) || selfClosing) continue;
    depth = closing ? Math.max(0, depth - 1) : depth + 1;
    if (depth > limit) return true;
  }
  return false;
}

function collect(source: string): HtmlTextCollector {
  // Too deep to parse in linear time: its text and title without other tags (entities still decoded).
  const html = htmlNestsDeeperThan(source, MAX_HTML_NESTING)
    ? source.replace(ANY_TAG_BUT_TITLE, ' ')
    : source;
  const collector = new HtmlTextCollector();
  const parser = new Parser(
    {
      onopentag: (name, attributes) => collector.open(name, attributes),
      ontext: (data) => collector.text(data),
      onclosetag: (name) => collector.close(name),
    },
    { decodeEntities: true, lowerCaseTags: true, recognizeSelfClosing: true },
  );
  parser.end(html);
  collector.flush();
  return collector;
}

/** Parses an HTML page: `<title>` (else the first h1) as title, h1-h6 as sections, scripts and styles dropped. */
export function parseHtml(relPath: string, content: string): ParsedNote {
  const collector = collect(normalizeSource(content));
  const { text, sections } = collector.builder.build();
  const title = collector.title.replace(/\s+/g, ' ').trim();
  return {
    title: title || collector.firstH1 || titleFromPath(relPath),
    text,
    tags: [],
    aliases: [],
    links: unique(collector.links),
    sections,
  };
}

/** Readable text of an HTML fragment embedded in another format (e.g. a Markdown HTML block). */
export function htmlFragmentText(html: string): string {
  return collect(html).builder.build().text;
}
