import { DriftlessError } from '../../base/index.ts';
import { noteFormat, titleFromPath } from '../formats.ts';
import type { ParsedNote } from '../types.ts';
import { parseHtml } from './html.ts';
import { parseMarkdown } from './markdown.ts';
import { NoteBuilder, normalizeSource } from './noteBuilder.ts';
import { parseOrg } from './org.ts';

/**
 * Parses a note by its path's extension into plain text, sections, tags and links.
 * @throws DriftlessError UNSUPPORTED when the extension is not a note format.
 */
export function parseNote(relPath: string, content: string): ParsedNote {
  const format = noteFormat(relPath);
  switch (format) {
    case 'markdown':
      return parseMarkdown(relPath, content);
    case 'org':
      return parseOrg(relPath, content);
    case 'html':
      return parseHtml(relPath, content);
    case 'text':
      return parseText(relPath, content);
    default:
      throw new DriftlessError('UNSUPPORTED', `Not a note format: ${relPath}`, { path: relPath });
  }
}

/** Plain text is one untitled section; its title is the file name. */
function parseText(relPath: string, content: string): ParsedNote {
  const builder = new NoteBuilder();
  builder.addBlock(normalizeSource(content));
  const { text, sections } = builder.build();
  return { title: titleFromPath(relPath), text, tags: [], aliases: [], links: [], sections };
}
