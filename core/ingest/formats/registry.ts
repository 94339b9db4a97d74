import path from 'node:path';
import { DriftlessError } from '../../base/index.ts';
import type { NoteFormatDefinition } from './noteFormat.ts';

/** A fixed set of note formats, looked up by a path's extension. */
export interface NoteFormats<Name extends string = string> {
  /** Every format, in the order they were given (a larger registry starts from these). */
  readonly definitions: readonly NoteFormatDefinition<Name>[];
  /** Every format's name, in the same order. */
  readonly names: readonly Name[];
  /** The format of a path by its extension (case-insensitive), or undefined when none reads it. */
  forPath(filePath: string): NoteFormatDefinition<Name> | undefined;
}

/**
 * The registry of `definitions`: what scanFolder, watchFolder, readNoteFile and loadNoteParsers
 * read when given it as their `formats` option (they default to every built-in format,
 * `noteFormats`). Building it loads no parser.
 * @throws DriftlessError INVALID_ARGUMENT when two formats share a name or an extension, or an
 *   extension is not one lower-case `.ext`.
 * @example
 * const withPdf = createNoteFormats([...noteFormats.definitions, pdfFormat]);
 */
export function createNoteFormats<const Definitions extends readonly NoteFormatDefinition[]>(
  definitions: Definitions,
): NoteFormats<Definitions[number]['name']> {
  type Name = Definitions[number]['name'];
  const byExtension = new Map<string, NoteFormatDefinition<Name>>();
  const names = new Set<string>();
  for (const definition of definitions) {
    if (!definition.name || names.has(definition.name))
      throw invalid(`The note format name "${definition.name}" is empty or used twice.`);
    names.add(definition.name);
    if (definition.extensions.length === 0)
      throw invalid(`The note format ${definition.name} has no extension.`);
    for (const extension of definition.extensions) {
      if (!/^\.[^./\\\sA-Z]+$/.test(extension))
        throw invalid(`"${extension}" (${definition.name}) is not one lower-case extension such as ".md".`);
      const other = byExtension.get(extension);
      if (other) throw invalid(`"${extension}" is claimed by both ${other.name} and ${definition.name}.`);
      byExtension.set(extension, definition as NoteFormatDefinition<Name>);
    }
  }
  return {
    definitions: [...definitions] as NoteFormatDefinition<Name>[],
    names: [...names] as Name[],
    forPath: (filePath) => byExtension.get(path.extname(filePath).toLowerCase()),
  };
}

function invalid(message: string): DriftlessError {
  return new DriftlessError('INVALID_ARGUMENT', message);
}
