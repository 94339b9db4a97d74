import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { DriftlessError } from '../../base/index.ts';
import { makeTempDir } from '../../testing/tempDir.ts';
import { NoteBuilder } from '../parse/noteBuilder.ts';
import { createNoteFormats, loadNoteParsers, noteFormats, readNoteFile, scanFolder } from '../index.ts';
import type { NoteFormat, NoteFormats, ScanOptions } from '../index.ts';
import { defineNoteFormat } from './noteFormat.ts';

/**
 * A made-up binary format, registered only here: UTF-16LE text (NUL bytes, so the text formats
 * would skip it as 'binary') whose first line is the title and whose `== ` lines are headings.
 * It decodes asynchronously, as a format whose decoder is a library it imports on demand would.
 */
const utf16Format = defineNoteFormat({
  name: 'utf16-outline',
  extensions: ['.u16'],
  decode: async (bytes) =>
    bytes.length % 2 === 0
      ? { ok: true, text: new TextDecoder('utf-16le').decode(bytes) }
      : { ok: false, skipped: { reason: 'binary', message: 'Odd length for UTF-16.' } },
  loadParser: async () => ({
    parse: (source) => {
      const [title = '', ...lines] = source.split('\n');
      const builder = new NoteBuilder();
      for (const line of lines)
        if (line.startsWith('== ')) builder.addHeading(1, line.slice(3));
        else builder.addBlock(line);
      return { title, tags: [], aliases: [], links: [], ...builder.build() };
    },
  }),
});

let dir: string;
let remove: () => Promise<void>;

beforeEach(async () => {
  ({ dir, remove } = await makeTempDir('driftless-formats-'));
});

afterEach(() => remove());

async function scannedPaths(options: ScanOptions = {}): Promise<string[]> {
  const paths: string[] = [];
  for await (const entry of scanFolder(dir, options))
    paths.push(entry.kind === 'file' ? entry.relPath : `${entry.path} (${entry.reason})`);
  return paths.sort();
}

describe('the note format registry', () => {
  it('names the built-in formats, and their names are the NoteFormat type', () => {
    expect(noteFormats.names).toEqual(['markdown', 'text', 'org', 'html']);
    expectTypeOf<NoteFormat>().toEqualTypeOf<'markdown' | 'text' | 'org' | 'html'>();
    expectTypeOf(noteFormats).toMatchTypeOf<NoteFormats<NoteFormat>>();
  });

  it('says before loading a parser whether it parses in steps, as each built-in parser does', async () => {
    for (const format of noteFormats.definitions) {
      const parser = await format.loadParser();
      expect([format.name, Boolean(parser.parseSteps)]).toEqual([format.name, Boolean(format.parsedInSteps)]);
    }
    expect(noteFormats.definitions.filter((format) => format.parsedInSteps).map((f) => f.name)).toEqual([
      'markdown',
    ]);
  });

  it('drives the scanner: every extension of every built-in format is a note, nothing else is', async () => {
    const extensions = noteFormats.definitions.flatMap((format) => format.extensions);
    for (const extension of [...extensions, '.u16', '.pdf'])
      await fs.writeFile(path.join(dir, `note${extension.toUpperCase()}`), 'some text');
    expect(await scannedPaths()).toEqual(
      extensions.map((extension) => `note${extension.toUpperCase()}`).sort(),
    );
  });

  it('scans, reads and parses a newly registered format with no other change', async () => {
    await fs.writeFile(path.join(dir, 'a.md'), '# A\n\nmarkdown body');
    const outline = 'Outline title\nintro\n== Part one\nfirst body\n== Part two\nsecond body';
    await fs.writeFile(path.join(dir, 'b.u16'), Buffer.from(outline, 'utf16le'));
    await fs.writeFile(path.join(dir, 'c.xyz'), 'not a note');
    const withOutline = createNoteFormats([...noteFormats.definitions, utf16Format]);
    const options = { maxBytes: 1 << 20 };

    // Without it, the file is not a note at all.
    expect(await scannedPaths()).toEqual(['a.md']);
    expect(await readNoteFile(path.join(dir, 'b.u16'), options)).toMatchObject({
      ok: false,
      skipped: { reason: 'unsupported' },
    });
    const builtIn = await loadNoteParsers();
    expect(() => builtIn.parseNote('b.u16', outline)).toThrow(DriftlessError);

    // With it: scanned, decoded by the format (NUL bytes and all), parsed into its sections.
    expect(await scannedPaths({ formats: withOutline })).toEqual(['a.md', 'b.u16']);
    const read = await readNoteFile(path.join(dir, 'b.u16'), { ...options, formats: withOutline });
    expect(read).toMatchObject({ ok: true, content: outline });
    const { parseNote } = await loadNoteParsers({ formats: withOutline });
    const note = parseNote('b.u16', read.ok ? read.content : '');
    expect(note.title).toBe('Outline title');
    expect(note.sections.map((section) => section.headingPath)).toEqual([[], ['Part one'], ['Part two']]);
    expect(note.text.slice(note.sections[2]!.start, note.sections[2]!.end)).toBe('Part two\n\nsecond body');
    // The built-in formats are unchanged in the larger registry.
    expect(parseNote('a.md', '# A\n\nbody').title).toBe('A');
    expect(withOutline.forPath('x/B.U16')?.name).toBe('utf16-outline');
  });

  it('reads a file by the format of the name it was asked by (a link `note.md` resolved elsewhere)', async () => {
    const target = path.join(dir, 'target');
    await fs.writeFile(target, '# Linked\n');
    const options = { maxBytes: 1 << 20 };
    expect(await readNoteFile(target, options)).toMatchObject({ skipped: { reason: 'unsupported' } });
    expect(await readNoteFile(target, { ...options, formatPath: 'note.md' })).toMatchObject({
      ok: true,
      content: '# Linked\n',
    });
  });

  it('refuses two formats with one extension or one name, and extensions it could never match', () => {
    const extra = (name: string, extensions: readonly `.${string}`[]) =>
      defineNoteFormat({ ...utf16Format, name, extensions });
    for (const definitions of [
      [...noteFormats.definitions, extra('notes', ['.md'])],
      [...noteFormats.definitions, extra('text', ['.text'])],
      [extra('upper', ['.PDF'])],
      [extra('double', ['.tar.gz'])],
      [extra('none', [])],
    ])
      expect(() => createNoteFormats(definitions)).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
      );
  });
});
