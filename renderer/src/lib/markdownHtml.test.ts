import { describe, expect, it } from 'vitest';
import { markdownHtml } from './markdownHtml.ts';

describe('markdownHtml', () => {
  it('renders GFM tables, strikethrough and autolinks from the index parser', () => {
    const html = markdownHtml(
      '| Plant | Water |\n| --- | :-: |\n| tomato | ~~daily~~ weekly |\n\nsee www.example.com',
    );
    expect(html).toContain('<th>Plant</th>');
    expect(html).toContain('<td align="center"><del>daily</del> weekly</td>');
    expect(html).toContain('<a href="http://www.example.com">www.example.com</a>');
  });

  it("passes the note's own HTML through for the sanitiser, CRLF line ends read as LF", () => {
    // noteHtml.ts sanitises this; the e2e specs check that nothing of it runs.
    expect(markdownHtml('# T\r\n\r\n<div onclick="x()">hi</div>')).toBe(
      '<h1>T</h1>\n<div onclick="x()">hi</div>',
    );
  });

  it('renders a 2,000-row table cut into pieces as one table', () => {
    const rows = Array.from({ length: 2_000 }, (_, i) => `| r${i}c0 | r${i}c1 |`).join('\n');
    const html = markdownHtml(`| a | b |\n| --- | --- |\n${rows}\n`);
    expect(html.match(/<table>/g)).toHaveLength(1);
    expect(html.match(/<tr>/g)).toHaveLength(2_001);
    expect(html).toContain('<td>r1999c1</td>');
  });

  it('renders lists nested thousands deep on one line as text, without overflowing the stack', () => {
    // Issue 17: `'- '.repeat(2500)` overflowed the renderer's stack; the preview plan shows such a note as
    // text, and the parser itself reads a piece that deep as a paragraph, as the index does.
    const html = markdownHtml(`${'- '.repeat(2_500)}x`);
    expect(html).not.toContain('<ul>');
    expect(html).toContain(`<p>${'- '.repeat(2_500)}x</p>`);
  });

  it('renders a link with 12,000 dots of trailing punctuation as text, as the index reads it', () => {
    // Issue 17: the GFM parser re-read the run of dots from each dot (14 s for 16 KB); such a line
    // is read as a paragraph of text (markdownSegments), the heading above it still as Markdown.
    const line = `http://a.b${'.'.repeat(12_000)}x`;
    const html = markdownHtml(`# Links\n\n${line}`);
    expect(html).toBe(`<h1>Links</h1>\n<p>${line}</p>`);
  });
});
