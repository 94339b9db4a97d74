/**
 * Finds the element of a rendered note where a search hit's chunk begins. The hit's offsets index
 * the note's plain text (markup removed), which the rendered DOM's blocks match (see
 * elementAtTextOffset), and its heading path names the section; the section heading is the reliable
 * anchor, the offset the precise one when it falls inside that section.
 */
export function locateMatch(
  root: Element,
  hit: { headingPath: readonly string[]; start: number },
): Element | undefined {
  const headings = [...root.querySelectorAll('h1, h2, h3, h4, h5, h6')];
  const heading = sectionHeading(headings, hit.headingPath);
  const atOffset = elementAtTextOffset(root, hit.start);
  if (atOffset && (!heading || precedingHeading(headings, atOffset) === heading)) return atOffset;
  return heading ?? atOffset;
}

/** The heading of the deepest path entry, found by walking the path top-down in document order. */
function sectionHeading(headings: Element[], path: readonly string[]): Element | undefined {
  let from = 0;
  let found: Element | undefined;
  for (const title of path) {
    const index = headings.findIndex(
      (h, i) => i >= from && normalize(h.textContent ?? '') === normalize(title),
    );
    if (index < 0) continue;
    found = headings[index];
    from = index + 1;
  }
  return found;
}

/** What the index puts between two blocks of a note's text (core's NoteBuilder). */
const BLOCK_SEPARATOR_LENGTH = '\n\n'.length;

/**
 * The block element holding character `offset` of the note's indexed text. The index reads the
 * same tree that was rendered (markdownTree.ts), trims each of its blocks (headings, paragraphs, list
 * items' text, table cells, code) and joins them with a blank line, so the rendered blocks' text is
 * counted the same way: space at either end of a block is not counted, a separator between blocks is.
 */
function elementAtTextOffset(root: Element, offset: number): Element | undefined {
  const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let seen = 0;
  let block: Element | undefined;
  /** Space at the end of the block's text so far: counted once more text of the block follows. */
  let trailing = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    let text = node.textContent ?? '';
    const owner = blockOf(node.parentElement, root);
    if (!text.trim()) {
      if (owner === block) trailing += text.length;
      continue;
    }
    if (owner !== block) {
      if (block) seen += BLOCK_SEPARATOR_LENGTH;
      block = owner;
      text = text.trimStart();
      trailing = 0;
    }
    const kept = text.trimEnd();
    seen += trailing + kept.length;
    trailing = text.length - kept.length;
    if (seen > offset) return owner;
  }
  return undefined;
}

function blockOf(element: Element | null, root: Element): Element | undefined {
  let current = element;
  while (current && current !== root) {
    if (/^(P|LI|H[1-6]|PRE|BLOCKQUOTE|TD|TH|DT|DD|TR)$/.test(current.tagName)) return current;
    if (current.parentElement === root) return current;
    current = current.parentElement;
  }
  return element && element !== root ? element : undefined;
}

function precedingHeading(headings: Element[], element: Element): Element | undefined {
  let last: Element | undefined;
  for (const heading of headings) {
    if (heading === element || heading.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING)
      last = heading;
    else break;
  }
  return last;
}

function normalize(text: string): string {
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}
