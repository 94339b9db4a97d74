import DOMPurify from 'dompurify';
import type { NoteContent } from '../contract.ts';
import { previewPlan } from './previewPlan.ts';

/** Link targets kept on `a` elements (shown, never followed: the preview blocks every navigation). */
const SAFE_LINK = /^(https?:|mailto:|#)/i;
/** The only resource URLs kept: embedded data, which reaches no network. */
const EMBEDDED = /^data:(image|audio|video)\//i;
/** Attributes that make the browser fetch a URL (or send one somewhere) on their own. */
const RESOURCE_ATTRIBUTES = new Set([
  'src',
  'poster',
  'background',
  'lowsrc',
  'dynsrc',
  'longdesc',
  'action',
  'formaction',
  'ping',
  'cite',
  'data',
  'codebase',
  'manifest',
]);
/** A CSS or SVG reference to anything but an element of this document (`url(#id)`). */
const REMOTE_URL_FUNCTION = /url\s*\(\s*(?!['"]?\s*#)/i;

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  // localName, lower-cased: HTML reports `tagName` 'A', SVG 'a', and SVG's camel-cased names vary.
  const name = node.localName.toLowerCase();
  for (const attribute of [...node.attributes]) {
    if (!keepAttribute(name, attribute.name.toLowerCase(), attribute.value.trim()))
      node.removeAttributeNode(attribute);
  }
  if (name === 'a') node.setAttribute('rel', 'noopener noreferrer');
});

/**
 * Whether an attribute may stay on a note's element. Links keep safe targets on `a` only (HTML or
 * SVG, `href` or `xlink:href`); image-map areas lose theirs; other `href`s (SVG `use`, gradients)
 * may point inside the document only. Resources stay only when embedded, so video, audio, source,
 * track, background, SVG image and feImage never reach the network, whatever the CSP.
 */
function keepAttribute(element: string, attribute: string, value: string): boolean {
  if (attribute === 'href' || attribute === 'xlink:href') {
    if (element === 'a') return SAFE_LINK.test(value);
    if (element === 'area') return false;
    if (element === 'image' || element === 'feimage') return EMBEDDED.test(value);
    return value.startsWith('#');
  }
  if (attribute === 'srcset' || attribute === 'target') return false;
  if (RESOURCE_ATTRIBUTES.has(attribute)) return EMBEDDED.test(value);
  return !REMOTE_URL_FUNCTION.test(value);
}

/** A note made ready for the preview pane, with the notice to show above it, if any. */
export interface RenderedNote {
  fragment: DocumentFragment;
  notice?: string;
}

/**
 * Renders a Markdown body to unsanitised HTML: a string at once, or a promise that resolves
 * `undefined` when a newer note superseded it (previewMarkdown.ts renders long bodies in a worker).
 */
export type RenderMarkdown = (body: string) => string | Promise<string | undefined>;

/** Shown above a Markdown note whose rendering failed, so the pane is never left blank. */
export const RENDER_FAILED_NOTICE = 'This note could not be rendered: shown as plain text.';

/**
 * Turns a stored note into a sanitised DOM fragment for the preview pane. Markdown is rendered from
 * the index's own parse (markdownHtml.ts, front matter dropped), HTML notes as they are, both
 * sanitised here on the page; text and Org notes, excerpts of long notes and notes nested too deeply
 * become a single text node: their content is never parsed as markup. A promise comes back only
 * while Markdown renders elsewhere; it resolves `undefined` when a newer note superseded it.
 */
export function renderNote(
  note: NoteContent,
  renderMarkdown: RenderMarkdown,
): RenderedNote | Promise<RenderedNote | undefined> {
  const { as, notice } = previewPlan(note);
  const withNotice = (fragment: DocumentFragment): RenderedNote =>
    notice ? { fragment, notice } : { fragment };
  if (as === 'text') return withNotice(plainText(note.content));
  if (note.format !== 'markdown') return withNotice(sanitize(note.content));
  const html = renderMarkdown(stripFrontMatter(note.content.replace(/^\uFEFF/, '')));
  if (typeof html === 'string') return withNotice(sanitize(html));
  return html.then(
    (rendered) => (rendered === undefined ? undefined : withNotice(sanitize(rendered))),
    () => ({ fragment: plainText(note.content), notice: RENDER_FAILED_NOTICE }),
  );
}

function sanitize(html: string): DocumentFragment {
  return DOMPurify.sanitize(html, {
    RETURN_DOM_FRAGMENT: true,
    FORBID_TAGS: [
      'style',
      'form',
      'input',
      'button',
      'textarea',
      'select',
      'iframe',
      'frame',
      'object',
      'embed',
    ],
    FORBID_ATTR: ['style'],
    ALLOW_UNKNOWN_PROTOCOLS: false,
  });
}

function plainText(content: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  const pre = document.createElement('pre');
  pre.className = 'plain-note';
  pre.append(document.createTextNode(content));
  fragment.append(pre);
  return fragment;
}

/** The note without YAML front matter (`---` ... `---` at the very start). */
export function stripFrontMatter(content: string): string {
  const match = /^---\r?\n[\s\S]*?\r?\n---[ \t]*(\r?\n|$)/.exec(content);
  return match ? content.slice(match[0].length) : content;
}
