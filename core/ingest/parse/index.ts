import { DriftlessError } from '../../base/index.ts';
import { noteFormats, type NoteFormats } from '../formats/index.ts';
import type { ParsedNote } from '../types.ts';

export interface ParseNoteOptions {
  /** The formats to parse by (default: every built-in format). */
  formats?: NoteFormats;
}

/**
 * Parses a note's source text by its path's extension into plain text, sections, tags and links.
 * @throws DriftlessError UNSUPPORTED when the extension is not a note format.
 */
export function parseNote(relPath: string, content: string, options: ParseNoteOptions = {}): ParsedNote {
  return formatOf(relPath, options).parse(content, { relPath });
}

/** How long parsing holds the thread before it lets other work in (parseNoteYielding). */
const SLICE_MS = 10;

/**
 * parseNote for a thread that also serves requests: a format whose parser costs milliseconds per
 * kilobyte (Markdown) is parsed piece by piece, and every ~10 ms the thread is given back (a 256 KB
 * list held the app's thread for 7 s in one go). Stops with the signal's reason between pieces when
 * it is aborted.
 */
export async function parseNoteYielding(
  relPath: string,
  content: string,
  signal?: AbortSignal,
): Promise<ParsedNote> {
  const format = formatOf(relPath, {});
  if (!format.parseSteps) return format.parse(content, { relPath });
  const steps = format.parseSteps(content, { relPath });
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

function formatOf(relPath: string, options: ParseNoteOptions) {
  const format = (options.formats ?? noteFormats).forPath(relPath);
  if (!format) throw new DriftlessError('UNSUPPORTED', `Not a note format: ${relPath}`, { path: relPath });
  return format;
}
