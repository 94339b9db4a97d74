import { describe, expect, it } from 'vitest';
import { loadNoteParsers } from '../index.ts';
import {
  MAX_MARKDOWN_NESTING,
  MAX_SEGMENT_AUTOLINK_COST,
  SEGMENT_MAX_CHARS,
  SEGMENT_TARGET_CHARS,
  containerDepth,
  markdownSegments,
} from './markdownSegments.ts';

const { parseNote } = await loadNoteParsers();

/** A long ordinary note: headings, paragraphs with inline markup, nested lists, a fenced block. */
function ordinaryNote(sections: number): string {
  return Array.from({ length: sections }, (_, i) => ordinarySection(i)).join('\n');
}

function ordinarySection(i: number): string {
  return (
    `## Section ${i}\n\nSome *text* with a [link](other-${i}.md) and \`code\` #topic${i % 5}.\n\n` +
    `- item ${i}\n  - sub item\n\n\`\`\`js\nconst x = ${i};\n\n// blank line above stays inside\n\`\`\`\n`
  );
}

describe('markdownSegments', () => {
  it('counts nesting from quotes, indentation and several list markers on one line', () => {
    expect(containerDepth('plain')).toBe(0);
    expect(containerDepth('    - item')).toBe(3);
    expect(containerDepth('> > quote')).toBe(3);
    expect(containerDepth(`${'- '.repeat(12_000)}x`)).toBeGreaterThanOrEqual(12_000);
    expect(containerDepth(`${'1. '.repeat(100)}x`)).toBe(100);
    expect(containerDepth('-not a marker')).toBe(0);
  });

  it('cuts a long note only between blocks, never inside a code fence', () => {
    const body = ordinaryNote(400);
    const segments = markdownSegments(body);
    expect(segments.length).toBeGreaterThan(5);
    expect(segments.map((segment) => segment.text).join('\n')).toBe(body);
    for (const segment of segments) {
      expect(segment.plainBecause).toBeUndefined();
      expect(segment.text.length).toBeLessThan(2 * SEGMENT_TARGET_CHARS);
      // Every piece starts at a top-level block and holds whole fences.
      expect(segment.text).toMatch(/^(## Section|- item)/);
      expect(segment.text.split('```').length % 2).toBe(1);
    }
  });

  it('cuts one long list before an indented item and dedents the rest, so it stays a list', () => {
    const body = `- top\n${'  - nested item\n'.repeat(2_000)}`;
    const segments = markdownSegments(body);
    expect(segments.length).toBeGreaterThan(2);
    expect(segments[1]!.text.startsWith('- nested item\n- nested item')).toBe(true);
    const note = parseNote('list.md', body);
    expect(note.text.split('nested item')).toHaveLength(2_001);
    expect(note.text).not.toContain('- nested');
  });

  it('reads pieces too long or too deeply nested as plain text, with the reason', () => {
    const [deep] = markdownSegments(`${'- '.repeat(MAX_MARKDOWN_NESTING + 1)}x`);
    expect(deep).toMatchObject({ plainBecause: 'too-deep' });
    const [long] = markdownSegments('word '.repeat(SEGMENT_MAX_CHARS / 4));
    expect(long).toMatchObject({ plainBecause: 'too-long' });
    const [links] = markdownSegments('[a]('.repeat(2_000));
    expect(links).toMatchObject({ plainBecause: 'too-many-delimiters' });
  });

  it('reads a line whose autolinks would be re-read quadratically as plain text, with the reason', () => {
    // 12,000 dots after a URL: the GFM parser re-read the run from each dot (14 s for 16 KB); a
    // failed `www.` link is tried again at every later one, each reading to the end of the word.
    const trail = `http://a.b${'.'.repeat(12_000)}x`;
    const retries = 'www._'.repeat(400);
    for (const hostile of [trail, retries]) {
      const [title, piece, ...rest] = markdownSegments(`# Links\n\n${hostile}`);
      // The line gets a piece of its own, so the heading above it is still read as Markdown.
      expect(title).toEqual({ text: '# Links\n' });
      expect(piece).toEqual({ text: hostile, plainBecause: 'too-costly-autolinks' });
      expect(rest).toEqual([]);
    }
    // A piece full of ordinary links is parsed.
    const links = 'See https://example.com/a/b?q=1, www.example.org and more.\n'.repeat(250);
    expect(links.length).toBeGreaterThan(MAX_SEGMENT_AUTOLINK_COST / 8);
    for (const piece of markdownSegments(links)) expect(piece.plainBecause).toBeUndefined();
    const note = parseNote('links.md', `# Links\n\n${trail}`);
    expect(note.title).toBe('Links');
    expect(note.text).toContain(`http://a.b${'.'.repeat(12_000)}x`);
  });

  it("gives a piece that continues a table the table's head, and only then", () => {
    const head = '| Key | Value |\n|:--|--:|';
    const rows = Array.from({ length: 300 }, (_, i) => `| k${i} | v${i} |`).join('\n');
    const segments = markdownSegments(`Intro.\n\n${head}\n${rows}\n\nAfter.`);
    expect(segments.length).toBeGreaterThan(2);
    expect(segments[0]!.tableHead).toBeUndefined();
    for (const segment of segments.slice(1)) {
      expect(segment.tableHead).toBe(head);
      expect(segment.text).toMatch(/^\| k\d+ \| v\d+ \|/);
    }
    // A head GFM refuses (cells do not match), a setext underline or a paragraph with pipes: no table.
    const notTables = ['| a | b |\n| --- |', 'Title | x\n---', 'a | b'];
    for (const start of notTables) {
      const pieces = markdownSegments(`${start}\n${'| x | y |\n'.repeat(300)}`);
      expect(pieces.every((piece) => piece.tableHead === undefined)).toBe(true);
    }
  });
});

describe('parseNote on hostile Markdown', () => {
  it('keeps the title heading above an enormous line a heading', () => {
    const note = parseNote(
      'huge-line.md',
      `# Huge line log\n\n${'kangaroo telemetry burst '.repeat(4000)}\n`,
    );
    expect(note.title).toBe('Huge line log');
  });

  it('parses a long ordinary note piecewise into the same text as its parts parsed whole', () => {
    const large = ordinaryNote(400);
    expect(markdownSegments(ordinarySection(0))).toHaveLength(1);
    const pieces = parseNote('a.md', large);
    const parts = Array.from({ length: 400 }, (_, i) => parseNote('a.md', ordinarySection(i)).text);
    expect(pieces.text).toBe(parts.join('\n\n'));
    expect(pieces.sections).toHaveLength(400);
    expect(pieces.tags).toEqual(['topic0', 'topic1', 'topic2', 'topic3', 'topic4']);
    expect(pieces.links).toContain('other-399.md');
    expect(pieces.text).toContain('const x = 399;\n\n// blank line above stays inside');
  });

  // Each of these took from 20 s to half an hour in the Markdown parser; now they read as plain text.
  it.each([
    ['one-line nested list (24 KB)', `${'- '.repeat(12_000)}x`],
    ['one-line ordered list', `${'1. '.repeat(20_000)}x`],
    ['nested quotes', `${'> '.repeat(20_000)}x`],
    ['emphasis runs', `${'*a '.repeat(20_000)}x`],
    ['unclosed links', `${'[a]('.repeat(32_000)}x`],
    ['many short lines of links', `${'[a](b '.repeat(10)}x\n`.repeat(4_000)],
  ])('%s: keeps the words, with no markup parsed', (_name, content) => {
    const note = parseNote('hostile.md', content);
    expect(note.text).toContain('x');
    expect(note.sections.length).toBeGreaterThan(0);
  });

  it('reads Org links with thousands of open brackets without backtracking', () => {
    const note = parseNote('hostile.org', `${'[['.repeat(50_000)}x [[file:real.org][Real]]`);
    expect(note.links).toEqual(['real.org']);
    expect(note.text).toContain('Real');
  });
});

describe('parseNote on hostile HTML', () => {
  it('reads HTML nested 50,000 deep as its text without tags (the parser is quadratic in depth)', () => {
    const note = parseNote('deep.html', `<title>T</title>${'<div>'.repeat(50_000)}deep &amp; text`);
    expect(note.title).toBe('T');
    expect(note.text).toContain('deep & text');
    const shallow = parseNote('ok.html', `<h1>Head</h1>${'<div>'.repeat(100)}text`);
    expect(shallow.sections[0]!.headingPath).toEqual(['Head']);
  });
});
