import type { ParsedNote, SkippedFile } from '../types.ts';

/** What a format knows about the file it parses. */
export interface ParseContext {
  /** The note's path relative to its folder (POSIX separators): the title of last resort, link base. */
  relPath: string;
}

/** A file's bytes as the note's source text, or why the file is not a note of this format. */
export type DecodedNote = { ok: true; text: string } | { ok: false; skipped: Omit<SkippedFile, 'path'> };

/** How a format's decoded source text becomes a note: the costly part of a format, loaded on demand. */
export interface NoteParser {
  /** Parses decoded source text (possibly only its indexed beginning) into plain text and structure. */
  parse(source: string, context: ParseContext): ParsedNote;
  /**
   * `parse` one piece at a time, pausing between pieces, for a format whose parser costs
   * milliseconds per kilobyte; parseNoteYielding gives the thread back at the pauses.
   */
  parseSteps?(source: string, context: ParseContext): Generator<void, ParsedNote>;
}

/**
 * One note format Driftless reads: its file extensions, how a file's bytes become the note's source
 * text (what the preview shows and what is cut to the indexed length), and how that text is parsed.
 * Decoding belongs to the format, so a binary format (PDF, DOCX) extracts its text here; the text
 * formats share strict UTF-8 (decodeUtf8Note).
 *
 * A definition is cheap to import: search, status and the store read only its name and extensions.
 * Whatever costs modules to load (a Markdown, HTML or PDF library) sits behind `loadParser`, and for
 * a binary format behind a dynamic import inside `decode`, so a search never loads it.
 */
export interface NoteFormatDefinition<Name extends string = string> {
  readonly name: Name;
  /** Lower-case extensions with their dot (`.md`); a path's extension is matched case-insensitively. */
  readonly extensions: readonly `.${string}`[];
  /**
   * Whether the parser has `parseSteps` (it costs milliseconds per kilobyte), known before it is
   * loaded: an import sends smaller notes of such a format to the note-parsing thread.
   */
  readonly parsedInSteps?: boolean;
  /** Never throws or rejects: bytes that are not this format come back as a skip ('binary', ...). */
  decode(bytes: Uint8Array): DecodedNote | Promise<DecodedNote>;
  /**
   * The format's parser, by a dynamic import() of its module: called each time a note is parsed
   * (import, reindex), which the module cache makes free after the first.
   */
  loadParser(): Promise<NoteParser>;
}

/** Declares a format, keeping its name as a literal type (the NoteFormat union is built from these). */
export function defineNoteFormat<const Name extends string>(
  definition: NoteFormatDefinition<Name>,
): NoteFormatDefinition<Name> {
  return definition;
}
