import DOMPurify from 'dompurify';
import { marked } from 'marked';
import type { NoteContent } from '../contract.ts';
import { previewPlan } from './previewPlan.ts';

const SAFE_LINK = /^(https?:|mailto:|#)/i;

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    const href = node.getAttribute('href') ?? '';
    if (!SAFE_LINK.test(href.trim())) node.removeAttribute('href');
    node.setAttribute('rel', 'noopener noreferrer');
  }
  // Remote images would reach the network; only embedded images stay.
  if (node.tagName === 'IMG' && !(node.getAttribute('src') ?? '').startsWith('data:image/')) {
    node.removeAttribute('src');
    node.removeAttribute('srcset');
  }
});

/**
 * Turns a stored note into a sanitised DOM fragment for the preview pane, with the notice to show
 * above it, if any. Markdown goes through marked (front matter dropped), HTML notes are sanitised as
 * they are; text and Org notes, excerpts of long notes and notes nested too deeply become a single
 * text node: their content is never parsed as markup.
 */
export function renderNote(note: NoteContent): { fragment: DocumentFragment; notice?: string } {
  const { as, notice } = previewPlan(note);
  const fragment =
    as === 'text'
      ? plainText(note.content)
      : note.format === 'markdown'
        ? sanitize(marked.parse(stripFrontMatter(note.content), { async: false, gfm: true }))
        : sanitize(note.content);
  return notice ? { fragment, notice } : { fragment };
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
