import { DriftlessError } from '../../base/index.ts';
import { noteFormat, titleFromPath } from '../formats.ts';
import type { ParsedNote } from '../types.ts';
import { parseHtml } from './html.ts';
import { markdownSteps, parseMarkdown } from './markdown.ts';
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

/** How long parsing holds the thread before it lets other work in (parseNoteYielding). */
const SLICE_MS = 10;

/**
 * parseNote for a thread that also serves requests: Markdown, the one format whose parser costs
 * milliseconds per kilobyte, is parsed piece by piece, and every ~10 ms the thread is given back
 * (a 256 KB list held the app's thread for 7 s in one go). Stops with the signal's reason between
 * pieces when it is aborted.
 */
export async function parseNoteYielding(
  relPath: string,
  content: string,
  signal?: AbortSignal,
): Promise<ParsedNote> {
  if (noteFormat(relPath) !== 'markdown') return parseNote(relPath, content);
  const steps = markdownSteps(relPath, content);
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart >= SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      signal?.throwIfAborted();
      sliceStart = performance.now();
    }
  }
}

/** Plain text is one untitled section; its title is the file name. */
function parseText(relPath: string, content: string): ParsedNote {
  const builder = new NoteBuilder();
  builder.addBlock(normalizeSource(content));
  const { text, sections } = builder.build();
  return { title: titleFromPath(relPath), text, tags: [], aliases: [], links: [], sections };
}
