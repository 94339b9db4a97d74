import type { ParsedNote, SkippedFile } from '../types.ts';

/** What a format knows about the file it parses. */
export interface ParseContext {
  /** The note's path relative to its folder (POSIX separators): the title of last resort, link base. */
  relPath: string;
}

/** A file's bytes as the note's source text, or why the file is not a note of this format. */
export type DecodedNote = { ok: true; text: string } | { ok: false; skipped: Omit<SkippedFile, 'path'> };

/**
 * One note format Driftless reads: its file extensions, how a file's bytes become the note's source
 * text (what the preview shows and what is cut to the indexed length), and how that text is parsed.
 * Decoding belongs to the format, so a binary format (PDF, DOCX) extracts its text here; the text
 * formats share strict UTF-8 (decodeUtf8Note).
 */
export interface NoteFormatDefinition<Name extends string = string> {
  readonly name: Name;
  /** Lower-case extensions with their dot (`.md`); a path's extension is matched case-insensitively. */
  readonly extensions: readonly `.${string}`[];
  /** Never throws: bytes that are not this format come back as a skip ('binary', 'invalid-utf8', ...). */
  decode(bytes: Uint8Array): DecodedNote;
  /** Parses decoded source text (possibly only its indexed beginning) into plain text and structure. */
  parse(source: string, context: ParseContext): ParsedNote;
  /**
   * `parse` one piece at a time, pausing between pieces, for a format whose parser costs
   * milliseconds per kilobyte; parseNoteYielding gives the thread back at the pauses.
   */
  parseSteps?(source: string, context: ParseContext): Generator<void, ParsedNote>;
}

/** Declares a format, keeping its name as a literal type (the NoteFormat union is built from these). */
export function defineNoteFormat<const Name extends string>(
  definition: NoteFormatDefinition<Name>,
): NoteFormatDefinition<Name> {
  return definition;
}
