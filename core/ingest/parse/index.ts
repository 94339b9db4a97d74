import { DriftlessError } from '../../base/index.ts';
import { noteFormats, type NoteFormatDefinition, type NoteFormats } from '../formats/index.ts';
import type { ParsedNote } from '../types.ts';

export interface ParseNoteOptions {
  /** The formats to parse by (default: every built-in format). */
  formats?: NoteFormats;
}

/** Parsers already loaded, so that parsing a note is one synchronous call. */
export interface NoteParsers {
  /**
   * Parses a note's source text by its path's extension into plain text, sections, tags and links.
   * @throws DriftlessError UNSUPPORTED when the extension is not a note format.
   */
  parseNote(relPath: string, content: string): ParsedNote;
}

/**
 * Loads the parser of every format at once, for code that parses many notes in a row (tests,
 * benchmarks, an evaluation corpus). The app parses through parseNoteYielding, which loads only the
 * parser of the note at hand, so a process that never parses never loads one.
 * @example
 * const { parseNote } = await loadNoteParsers();
 * parseNote('journal/day.md', '# Day\n\nText').title; // 'Day'
 */
export async function loadNoteParsers(options: ParseNoteOptions = {}): Promise<NoteParsers> {
  const formats = options.formats ?? noteFormats;
  const loaded = await Promise.all(
    formats.definitions.map(async (format) => [format.name, await format.loadParser()] as const),
  );
  const parsers = new Map(loaded);
  return {
    parseNote: (relPath, content) =>
      parsers.get(formatOf(relPath, formats).name)!.parse(content, { relPath }),
  };
}

/** How long parsing holds the thread before it lets other work in (parseNoteYielding). */
const SLICE_MS = 10;

/**
 * Parses a note on a thread that also serves requests, loading its format's parser the first time:
 * a format whose parser costs milliseconds per kilobyte (Markdown) is parsed piece by piece, and
 * every ~10 ms the thread is given back (a 256 KB list held the app's thread for 7 s in one go).
 * Stops with the signal's reason between pieces when it is aborted.
 * @throws DriftlessError UNSUPPORTED when the extension is not a note format.
 */
export async function parseNoteYielding(
  relPath: string,
  content: string,
  signal?: AbortSignal,
): Promise<ParsedNote> {
  const parser = await formatOf(relPath, noteFormats).loadParser();
  if (!parser.parseSteps) return parser.parse(content, { relPath });
  const steps = parser.parseSteps(content, { relPath });
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

function formatOf(relPath: string, formats: NoteFormats): NoteFormatDefinition {
  const format = formats.forPath(relPath);
  if (!format) throw new DriftlessError('UNSUPPORTED', `Not a note format: ${relPath}`, { path: relPath });
  return format;
}
