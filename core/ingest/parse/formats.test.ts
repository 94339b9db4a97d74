import { describe, expect, it } from 'vitest';
import { DriftlessError } from '../../base/index.ts';
import { loadNoteParsers, noteFormat } from '../index.ts';

const { parseNote } = await loadNoteParsers();

describe('noteFormat', () => {
  it('maps extensions case-insensitively and rejects the rest', () => {
    expect(noteFormat('a/b.MD')).toBe('markdown');
    expect(noteFormat('a.markdown')).toBe('markdown');
    expect(noteFormat('a.txt')).toBe('text');
    expect(noteFormat('a.org')).toBe('org');
    expect(noteFormat('a.htm')).toBe('html');
    expect(noteFormat('a.HTML')).toBe('html');
    expect(noteFormat('a.pdf')).toBeUndefined();
    expect(noteFormat('md')).toBeUndefined();
  });

  it('refuses to parse an unsupported format with a coded error', () => {
    expect(() => parseNote('a.pdf', 'x')).toThrow(DriftlessError);
    try {
      parseNote('a.pdf', 'x');
    } catch (error) {
      expect((error as DriftlessError).code).toBe('UNSUPPORTED');
    }
  });
});

describe('parseNote: plain text', () => {
  it('is one section titled by the file name', () => {
    const note = parseNote('dir/shopping list.txt', '\r\nmilk\r\n\r\neggs #notatag\n');
    expect(note.title).toBe('shopping list');
    expect(note.text).toBe('milk\n\neggs #notatag');
    expect(note.tags).toEqual([]);
    expect(note.sections).toEqual([{ headingPath: [], start: 0, end: note.text.length }]);
  });
});

describe('parseNote: Org', () => {
  const org = [
    '#+TITLE: Org Title',
    '#+FILETAGS: :work:ideas:',
    '#+DATE: <2024-02-03 Sat>',
    'Intro line.',
    '* TODO [#A] First heading :urgent:home:',
    ':PROPERTIES:',
    ':ID: 1234-secret-id',
    ':END:',
    'Body with [[file:other.org][a link]] and [[https://x.org][web]].',
    '# a comment line',
    '** Child',
    '#+BEGIN_SRC python',
    'print("hi")',
    '',
    'x = 1',
    '#+END_SRC',
    '* Second',
    'Text.',
  ].join('\n');

  it('reads title, file tags, heading tags and date', () => {
    const note = parseNote('n.org', org);
    expect(note.title).toBe('Org Title');
    expect(note.tags).toEqual(['work', 'ideas', 'urgent', 'home']);
    expect(note.created).toBe(new Date(Date.parse('2024-02-03')).toISOString());
    expect(note.links).toEqual(['other.org']);
  });

  it('drops property drawers, keywords and comments; keeps code and link text', () => {
    const note = parseNote('n.org', org);
    expect(note.text).not.toContain('secret-id');
    expect(note.text).not.toContain('PROPERTIES');
    expect(note.text).not.toContain('#+');
    expect(note.text).not.toContain('a comment line');
    expect(note.text).toContain('Body with a link and web.');
    expect(note.text).toContain('print("hi")\n\nx = 1');
  });

  it('makes headings sections without TODO keywords, priorities or tags', () => {
    const note = parseNote('n.org', org);
    const paths = note.sections.map((s) => s.headingPath);
    expect(paths).toEqual([[], ['First heading'], ['First heading', 'Child'], ['Second']]);
    const second = note.sections[3]!;
    expect(note.text.slice(second.start, second.end)).toBe('Second\n\nText.');
  });

  it('falls back to the file name for the title', () => {
    expect(parseNote('journal/day.org', '* Heading').title).toBe('day');
  });
});

describe('parseNote: HTML', () => {
  const html = `<!doctype html><html><head><title>Page &amp; Title</title>
<style>body { color: red }</style><script>var secret = "token";</script></head>
<body><noscript>enable js</noscript><h1>Main</h1><p>First   paragraph
with <b>bold</b> &lt;tag&gt;.</p><h2>Sub</h2><ul><li>one</li><li>two</li></ul>
<pre>  indented
    code</pre><a href="notes/other.html">other</a> <a href="https://web.example">web</a></body></html>`;

  it('takes the <title>, drops script/style/noscript text', () => {
    const note = parseNote('p.html', html);
    expect(note.title).toBe('Page & Title');
    expect(note.text).not.toMatch(/secret|color: red|enable js|Page & Title/);
    expect(note.links).toEqual(['notes/other.html']);
  });

  it('turns h1-h6 into sections and keeps readable text', () => {
    const note = parseNote('p.htm', html);
    expect(note.sections.map((s) => s.headingPath)).toEqual([['Main'], ['Main', 'Sub']]);
    const sub = note.sections[1]!;
    expect(note.text.slice(sub.start, sub.end)).toBe('Sub\n\none\n\ntwo\n\nindented\n    code\n\nother web');
    expect(note.text).toContain('First paragraph with bold <tag>.');
  });

  it('uses the first h1 when there is no <title>, else the file name', () => {
    expect(parseNote('a.html', '<p>x</p><h1>Heading</h1>').title).toBe('Heading');
    expect(parseNote('dir/b.html', '<p>only text</p>').title).toBe('b');
  });
});
