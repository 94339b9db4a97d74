import { htmlFormat } from './html.ts';
import { markdownFormat } from './markdown.ts';
import { orgFormat } from './org.ts';
import { createNoteFormats } from './registry.ts';
import { textFormat } from './text.ts';

export { defineNoteFormat } from './noteFormat.ts';
export type { DecodedNote, NoteFormatDefinition, NoteParser, ParseContext } from './noteFormat.ts';
export { createNoteFormats } from './registry.ts';
export type { NoteFormats } from './registry.ts';
export { decodeUtf8Note, looksBinary } from './utf8.ts';

/**
 * Every note format Driftless reads. A new format (PDF, DOCX) is one file in this folder and its
 * entry here: the scanner, the watcher, reading, parsing, the store's format column and the API's
 * NoteContent all follow from this list. Importing it loads no parser (see NoteFormatDefinition).
 */
export const noteFormats = createNoteFormats([markdownFormat, textFormat, orgFormat, htmlFormat]);

/** The name of a note format Driftless reads; anything else in a folder is silently passed over. */
export type NoteFormat = (typeof noteFormats.names)[number];

/** The note format of a path by its extension (case-insensitive), or undefined when Driftless does not read it. */
export function noteFormat(filePath: string): NoteFormat | undefined {
  return noteFormats.forPath(filePath)?.name;
}
