import { toHtml } from 'hast-util-to-html';
import { toHast } from 'mdast-util-to-hast';
import { markdownTree } from '../../../core/ingest/parse/markdownTree.ts';

/**
 * The HTML of a note's Markdown body (front matter removed), rendered from the tree the index reads
 * its text from: one parser and one configuration (GFM), so a table or struck-through text that was
 * found is shown as it was read. The note's own HTML is passed through as it is written: it is
 * unsafe until the caller sanitises it (noteHtml.ts does).
 */
export function markdownHtml(body: string): string {
  const tree = toHast(markdownTree(body.replace(/\r\n?/g, '\n')), { allowDangerousHtml: true });
  return toHtml(tree, { allowDangerousHtml: true });
}
