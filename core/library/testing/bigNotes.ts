/**
 * Big notes of every parsed format, with the structure their parsers read (front matter, headings,
 * lists, tables, links, tags, a line read as plain text), for tests and benchmarks of where and how
 * imports parse them.
 */

/** About `chars` characters of Markdown: sections of the kinds of blocks a person writes. */
export function bigMarkdown(chars: number): string {
  const head = '---\ntitle: A long journal\ntags: [journal, big]\ncreated: 2024-03-01\n---\n\n# Journal\n\n';
  return head + repeatTo(chars - head.length, (i) => markdownSection(i));
}

function markdownSection(i: number): string {
  return [
    `## Day ${i}`,
    `Met with [[Person ${i % 7}|someone]] about *plans* and **goals**; see [notes](day-${i}.md) #topic/${i % 5}.`,
    `- item ${i}\n  - sub item with \`code ${i}\`\n- another ~~old~~ new item`,
    `| when | what |\n| --- | --- |\n| ${i}:00 | call |\n| ${i}:30 | write |`,
    // A line GFM's literal autolinks would re-read quadratically: read as plain text (too-costly-autolinks).
    ...(i % 40 === 7 ? [`http://a.b${'.,:;'.repeat(1_000)}x`] : []),
    '```js\nconst x = 1; // code stays text\n```',
    `> quoted thought ${i}`,
  ].join('\n\n');
}

/** About `chars` characters of HTML: headings, paragraphs, lists and a table. */
export function bigHtml(chars: number): string {
  const head = '<!doctype html><html><head><title>Big page</title></head><body>\n';
  const body = repeatTo(
    chars - head.length,
    (i) =>
      `<h2>Part ${i}</h2><p>Some <b>bold</b> text with a <a href="p${i}.html">link</a> and more words.</p>` +
      `<ul><li>one ${i}</li><li>two</li></ul><table><tr><td>${i}</td><td>cell</td></tr></table>\n`,
  );
  return `${head}${body}</body></html>\n`;
}

/** About `chars` characters of Org: headings with tags, lists, links and a source block. */
export function bigOrg(chars: number): string {
  const head = '#+TITLE: Big outline\n#+FILETAGS: :outline:\n\n';
  return (
    head +
    repeatTo(
      chars - head.length,
      (i) =>
        `* Heading ${i} :tag${i % 4}:\nSome *bold* text and a [[file:n${i}.org][link]].\n` +
        `- item ${i}\n- item two\n#+BEGIN_SRC sh\necho ${i}\n#+END_SRC\n** Sub ${i}\nMore text.\n\n`,
    )
  );
}

function repeatTo(chars: number, unit: (index: number) => string): string {
  const parts: string[] = [];
  for (let length = 0, i = 0; length < chars; i++) {
    const part = unit(i);
    parts.push(part);
    length += part.length + 2;
  }
  return parts.join('\n\n');
}
