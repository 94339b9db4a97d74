import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { chunkNote, loadNoteParsers } from '../index.ts';
import { markdownTree } from './markdownTree.ts';
import { wordTokens } from '../../testing/index.ts';
import { fuzz, hostileText, reportFuzzCounts } from '../../testing/faults/fuzz.ts';
import type { ParsedNote } from '../types.ts';

const { parseNote } = await loadNoteParsers();
const RUNS = 300;
const counter = { countTokens: (text: string) => wordTokens(text).length, maxTokens: 64 };

afterAll(reportFuzzCounts);

/** What every parse must give, whatever the input: offsets inside the text, in order, strings only. */
function expectWellFormed(note: ParsedNote): void {
  expect(typeof note.title).toBe('string');
  expect(typeof note.text).toBe('string');
  for (const list of [note.tags, note.aliases, note.links])
    for (const item of list) expect(typeof item).toBe('string');
  let previousEnd = 0;
  for (const section of note.sections) {
    expect(section.start).toBeGreaterThanOrEqual(previousEnd);
    expect(section.end).toBeGreaterThanOrEqual(section.start);
    expect(section.end).toBeLessThanOrEqual(note.text.length);
    for (const heading of section.headingPath) expect(typeof heading).toBe('string');
    previousEnd = section.end;
  }
  for (const chunk of chunkNote(note, counter)) {
    expect(chunk.start).toBeGreaterThanOrEqual(0);
    expect(chunk.end).toBeLessThanOrEqual(note.text.length);
    expect(chunk.chunkId).toMatch(/^[0-9a-f]+$/);
  }
}

const frontMatter = fc
  .tuple(
    fc.constantFrom('---\n', '+++\n', '---\r\n', ''),
    fc.array(
      fc.tuple(
        fc.constantFrom(
          'title',
          'tags',
          'aliases',
          'created',
          'updated',
          'date',
          'x',
          '__proto__',
          'constructor',
        ),
        fc.oneof(
          hostileText(40),
          fc.constantFrom(
            '[a, b]',
            '[',
            '{a: 1}',
            '2025-13-45',
            '2024-02-29T10:00:00Z',
            '*anchor',
            '&a [1]',
            '!!binary x',
            '|\n  x',
            '- a\n  - b',
          ),
        ),
      ),
      { maxLength: 6 },
    ),
    fc.constantFrom('---\n', '+++\n', '...\n', '', '--- \n'),
    hostileText(200),
  )
  .map(
    ([open, fields, close, body]) =>
      `${open}${fields.map(([k, v]) => `${k}: ${v}`).join('\n')}\n${close}${body}`,
  );

describe('note parsers on hostile input', () => {
  it.each(['note.md', 'note.org', 'note.html', 'note.txt'])(
    '%s: never throws, offsets stay in bounds',
    async (file) => {
      await fuzz(
        file.split('.')[1]!,
        fc.property(fc.oneof(hostileText(), fc.string({ unit: 'grapheme', maxLength: 200 })), (content) => {
          expectWellFormed(parseNote(file, content));
        }),
        RUNS,
      );
    },
  );

  it('markdown with front matter: never throws; a tag list comes back as strings', async () => {
    await fuzz(
      'markdown+front-matter',
      fc.property(frontMatter, (content) => expectWellFormed(parseNote('n.md', content))),
      RUNS,
    );
    expect(parseNote('n.md', '---\ntags: [alpha, beta]\n---\n# T\n\nbody\n').tags).toEqual(['alpha', 'beta']);
  });

  it('deeply nested or delimiter-heavy markup neither exhausts the stack nor stalls', () => {
    const nested = (open: string, close: string) => `${open.repeat(20_000)}deep text${close.repeat(20_000)}`;
    for (const [file, content] of [
      ['deep.html', nested('<div>', '</div>')],
      ['deep.md', nested('> ', '')],
      ['deep.org', nested('*', '')],
      ['emphasis.md', `${'*a '.repeat(20_000)}x${'*'.repeat(20_000)}`],
      ['mixed.md', `${'> - *_'.repeat(1_000)}${'_*'.repeat(1_000)}`],
    ]) {
      expectWellFormed(parseNote(file!, content!));
    }
  });

  it('reads a GFM table cut into pieces as one table, every cell as text', async () => {
    const cell = fc.stringMatching(/^[a-z]{1,8}$/);
    const table = fc.integer({ min: 1, max: 5 }).chain((columns) =>
      fc.tuple(
        fc.array(fc.constantFrom('---', ':--', '--:', ':-:'), { minLength: columns, maxLength: columns }),
        // Enough rows that the table is parsed in several pieces (markdownSegments cuts at 2 KB).
        fc.array(fc.array(cell, { minLength: columns, maxLength: columns }), {
          minLength: 300,
          maxLength: 600,
        }),
      ),
    );
    await fuzz(
      'gfm-table',
      fc.property(table, ([delimiters, rows]) => {
        const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
        const content = [line(delimiters.map((_, i) => `h${i}`)), line(delimiters), ...rows.map(line)].join(
          '\n',
        );
        const note = parseNote('t.md', `Intro.\n\n${content}\n\nAfter.`);
        expect(note.text).not.toContain('|');
        expect(note.text.split('\n\n')).toEqual([
          'Intro.',
          ...delimiters.map((_, i) => `h${i}`),
          ...rows.flat(),
          'After.',
        ]);
        const tables = markdownTree(content).children;
        expect(tables).toHaveLength(1);
        expect(tables[0]).toMatchObject({ type: 'table', children: { length: rows.length + 1 } });
      }),
      12,
    );
  });

  it('keeps the words of plain text searchable', async () => {
    await fuzz(
      'text-words',
      fc.property(fc.array(fc.stringMatching(/^[a-z]{3,8}$/), { minLength: 1, maxLength: 30 }), (words) => {
        const note = parseNote('n.txt', words.join(' '));
        for (const word of words) expect(note.text).toContain(word);
      }),
      100,
    );
  });
});
