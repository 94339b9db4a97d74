import { noteFormats, parseNoteYielding, type ParsedNote } from '../ingest/index.ts';
import type { OffThreadHost } from '../jobs/offThread/host.ts';
import { parseNoteOffThread } from '../jobs/offThread/parse.ts';

/** How an import parses one note's indexed source text; rejects with CANCELLED once `signal` aborts. */
export type NoteParser = (relPath: string, content: string, signal: AbortSignal) => Promise<ParsedNote>;

/**
 * From how many characters a note is parsed on the note-parsing thread, by how its format parses.
 * Each sits where a parse costs about 5 ms, five times a round trip to that thread (about 1 ms on
 * the loaded 2-core build machine): Markdown, the format parsed in steps, costs about 5 ms per KiB
 * (bench:hostile md-ordinary 5.4, nested lists 13), so from 1 KiB; HTML, Org and plain text are
 * read by linear scanners at most 0.08 ms per KiB, so from 64 KiB. A smaller note is parsed on the
 * calling thread: no round trip, no thread started for a folder of small notes.
 */
export const OFF_THREAD_PARSE_FROM_CHARS = { stepwise: 1_024, whole: 65_536 } as const;

/** Whether importNoteParser sends this note to the note-parsing thread. */
export function parsesOffThread(relPath: string, chars: number): boolean {
  const format = noteFormats.forPath(relPath);
  if (!format) return false; // parseNoteYielding reports it as UNSUPPORTED, as before
  const from = format.parsedInSteps
    ? OFF_THREAD_PARSE_FROM_CHARS.stepwise
    : OFF_THREAD_PARSE_FROM_CHARS.whole;
  return chars >= from;
}

/**
 * The parser of imports: big notes on the note-parsing thread, so that search and status never
 * wait behind a parse (a 256 KiB Markdown note is over a second of parser work), the rest on the
 * calling thread, given back between pieces (parseNoteYielding). Both give the same ParsedNote.
 * `host` replaces the shared parsing thread (tests).
 */
export function importNoteParser(options: { host?: OffThreadHost } = {}): NoteParser {
  return (relPath, content, signal) =>
    parsesOffThread(relPath, content.length)
      ? parseNoteOffThread(relPath, content, { signal, ...options })
      : parseNoteYielding(relPath, content, signal);
}
