import { describe, expect, it } from 'vitest';
import { findRanges, matcher } from '../../search/highlight.ts';
import { loadNoteParsers } from '../index.ts';
import type { ParsedNote } from '../types.ts';

const { parseNote } = await loadNoteParsers();

function sectionTexts(note: ParsedNote): Array<[string, string]> {
  return note.sections.map((s) => [s.headingPath.join(' > '), note.text.slice(s.start, s.end)]);
}

describe('parseNote: Markdown front matter', () => {
  it('reads title, tags, aliases and dates from YAML', () => {
    const note = parseNote(
      'notes/a.md',
      '---\ntitle: Front Title\ntags: [alpha, "#beta"]\naliases:\n  - First\n  - Second\ncreated: 2024-01-02\nupdated: 2024-03-04T05:06:07Z\n---\n# Heading One\n\nBody.\n',
    );
    expect(note.title).toBe('Front Title');
    expect(note.tags).toEqual(['alpha', 'beta']);
    expect(note.aliases).toEqual(['First', 'Second']);
    expect(note.created).toBe('2024-01-02T00:00:00.000Z');
    expect(note.updated).toBe('2024-03-04T05:06:07.000Z');
    expect(note.text).toBe('Heading One\n\nBody.');
  });

  it('accepts tags and aliases as strings, `date` as created, and no front matter title', () => {
    const note = parseNote(
      'b.md',
      '---\ntags: one, two three\naliases: My Alias, Other\ndate: "2023-05-06"\n---\nText only.',
    );
    expect(note.tags).toEqual(['one', 'two', 'three']);
    expect(note.aliases).toEqual(['My Alias', 'Other']);
    expect(note.created).toBe('2023-05-06T00:00:00.000Z');
    expect(note.title).toBe('b');
  });

  it('ignores an empty front matter block and unparseable dates', () => {
    const note = parseNote('c.md', '---\n---\nHello\n');
    expect(note.text).toBe('Hello');
    const noDate = parseNote('d.md', '---\ncreated: someday\n---\nHi');
    expect(noDate.created).toBeUndefined();
  });

  it('keeps malformed YAML as plain text instead of throwing', () => {
    const note = parseNote('broken.md', '---\ntitle: [unclosed\ntags: : :\n---\n# Real Title\n\nBody text.');
    expect(note.title).toBe('Real Title');
    expect(note.tags).toEqual([]);
    expect(note.text).toContain('title: [unclosed');
    expect(note.text).toContain('Body text.');
  });

  it('treats front matter that is not a mapping as text', () => {
    const note = parseNote('list.md', '---\n- just\n- a list\n---\nAfter.');
    expect(note.text).toContain('- just');
    expect(note.text).toContain('After.');
  });

  it('ends front matter only at a fence on its own line', () => {
    const note = parseNote('fence.md', '---\ntitle: a---\nsummary: b\n---\nBody');
    expect(note.title).toBe('a---');
    expect(note.text).toBe('Body');
  });

  it('does not take a horizontal rule later in the file for front matter', () => {
    const note = parseNote('rule.md', 'Intro\n\n---\n\ntitle: not yaml\n');
    expect(note.title).toBe('rule');
    expect(note.text).toBe('Intro\n\ntitle: not yaml');
  });
});

describe('parseNote: Markdown body', () => {
  it('collects inline #tags but not headings, numbers, anchors or code', () => {
    const note = parseNote(
      't.md',
      '# Title\n\nA #project and #area/sub, not #123 or x#y or url.com/#frag.\n\n`#notatag` and\n\n```\n#include\n```',
    );
    expect(note.tags).toEqual(['project', 'area/sub']);
  });

  it('turns [[wikilinks]] into links and readable text', () => {
    const note = parseNote('w.md', 'See [[Other Note]], [[Target#Part|shown text]] and ![[image.png]].');
    expect(note.links).toEqual(['Other Note', 'Target', 'image.png']);
    expect(note.text).toBe('See Other Note, shown text and image.png.');
  });

  it('records relative Markdown links but not web links', () => {
    const note = parseNote('l.md', '[a](other%20note.md) [b](https://example.com) [c](#anchor)');
    expect(note.links).toEqual(['other note.md']);
    expect(note.text).toBe('a b c');
  });

  it('removes markup, keeps code text, image alt text and HTML text without scripts', () => {
    const md = [
      'Some **bold**, _em_ and `inline code`.',
      '',
      '```ts',
      'const answer = 42;',
      '```',
      '',
      '> quoted',
      '',
      '- item one',
      '- item two',
      '',
      '![alt words](pic.png)',
      '',
      '<div>html <b>text</b><script>alert(1)</script></div>',
    ].join('\n');
    const note = parseNote('m.md', md);
    expect(note.text).toBe(
      'Some bold, em and inline code.\n\nconst answer = 42;\n\nquoted\n\nitem one\n\nitem two\n\nalt words\n\nhtml text',
    );
  });

  it('builds sections with heading paths whose offsets index into the text', () => {
    const note = parseNote(
      's.md',
      'Preamble.\n\n# A\n\nText A.\n\n## B\n\nText B.\n\n### C\n\nText C.\n\n## D\n\nText D.\n\n# E\n',
    );
    expect(sectionTexts(note)).toEqual([
      ['', 'Preamble.'],
      ['A', 'A\n\nText A.'],
      ['A > B', 'B\n\nText B.'],
      ['A > B > C', 'C\n\nText C.'],
      ['A > D', 'D\n\nText D.'],
      ['E', 'E'],
    ]);
    expect(note.title).toBe('A');
  });

  it('uses the first H1 as title, else the file name without extension', () => {
    expect(parseNote('x/My Note.markdown', '## Only H2\n\ntext').title).toBe('My Note');
    expect(parseNote('x/y.md', '## Two\n\n# One\n\n# Later').title).toBe('One');
  });

  it('normalizes CRLF and a byte-order mark', () => {
    const note = parseNote('crlf.md', '\uFEFF---\r\ntitle: T\r\n---\r\nLine one\r\n\r\nLine two\r\n');
    expect(note.title).toBe('T');
    expect(note.text).toBe('Line one\n\nLine two');
  });
});

describe('parseNote: GitHub Flavored Markdown', () => {
  const garden = [
    '# Garden',
    '',
    '| Plant | Water |',
    '| --- | :-: |',
    '| tomato | ~~daily~~ weekly |',
    '| basil **herb** | often |',
    '',
    '## Chores',
    '',
    '- [x] sow ~~peas~~ beans',
    '- [ ] read www.example.com/soil',
  ].join('\n');

  it('reads table cells, struck-through text, task items and autolinks as text', () => {
    const note = parseNote('garden.md', garden);
    expect(note.text).toBe(
      'Garden\n\nPlant\n\nWater\n\ntomato\n\ndaily weekly\n\nbasil herb\n\noften\n\n' +
        'Chores\n\nsow peas beans\n\nread www.example.com/soil',
    );
    expect(note.text).not.toMatch(/[|~]|\[[ x]\]/);
  });

  it('keeps section and highlight offsets on the words they name', () => {
    const note = parseNote('garden.md', garden);
    expect(sectionTexts(note)).toEqual([
      ['Garden', 'Garden\n\nPlant\n\nWater\n\ntomato\n\ndaily weekly\n\nbasil herb\n\noften'],
      ['Garden > Chores', 'Chores\n\nsow peas beans\n\nread www.example.com/soil'],
    ]);
    const ranges = findRanges(note.text, matcher(['weekly', 'peas'], ['basil herb']));
    expect(ranges.map(([start, end]) => note.text.slice(start, end))).toEqual([
      'weekly',
      'basil herb',
      'peas',
    ]);
  });

  it('reads a table too long for one piece as table rows to its end, its head once', () => {
    const rows = Array.from({ length: 400 }, (_, i) => `| row${i} | value ${i} |`);
    const note = parseNote('long.md', `| Key | Value |\n| --- | --- |\n${rows.join('\n')}\n`);
    expect(note.text).not.toContain('|');
    expect(note.text.match(/Key/g)).toHaveLength(1);
    expect(note.text.endsWith('row399\n\nvalue 399')).toBe(true);
  });
});
