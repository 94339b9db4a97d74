/**
 * What GFM's literal autolinks (`www.example.com`, `https://…`) cost the Markdown parser on a line,
 * counted in characters it reads, so that markdownSegments can read a piece that costs too much as
 * plain text.
 *
 * The parser reads a link from its prefix to the next whitespace, and at every character that could
 * be trailing punctuation (`.` `,` `)` `;` `&amp;` …) it reads ahead over the whole run of such
 * characters to see whether the link ends there: a run of n costs n²/2 (`'http://a.b' + '.'.repeat(16000)`
 * took 14 s). A prefix that fails (`www._www._…`) is tried again at the next one, and the GFM tree's
 * own autolink pass re-reads the rest of the word from each prefix, so every prefix costs the rest of
 * its word too. Counting both is linear in the line.
 */

/** `http://`, `https://`, `www.`: where the parser starts reading a literal autolink. */
const URL_PREFIX = /https?:\/\/|www\./gi;
/** What the parser and the GFM tree's autolink pass take as possible trailing punctuation. */
const TRAIL = new Set([...'!"&\'),.:;<>?]}_~*'].map((char) => char.charCodeAt(0)));
/** A character reference (`&amp;`): the parser reads it as one piece of trailing punctuation. */
const CHARACTER_REFERENCE = /&[A-Za-z]+;/g;

/** Characters the autolink parsers read on a line (no `\n`); ordinary text costs at most its length. */
export function autolinkCost(line: string): number {
  let cost = 0;
  let wordEnd = -1;
  for (const match of line.matchAll(URL_PREFIX)) {
    const start = match.index;
    // A prefix inside the word of the one before ends where that word ends.
    if (start >= wordEnd) {
      wordEnd = nextSpace(line, start);
      cost += trailCost(line, start, wordEnd);
    }
    cost += wordEnd - start;
  }
  return cost;
}

/** The sum, over every possible trailing punctuation in `line[from, to)`, of the run it starts. */
function trailCost(line: string, from: number, to: number): number {
  const inReference = new Uint8Array(to - from);
  for (const reference of line.slice(from, to).matchAll(CHARACTER_REFERENCE))
    inReference.fill(1, reference.index + 1, reference.index + reference[0].length - 1);
  let cost = 0;
  let run = 0;
  for (let i = to - 1; i >= from; i--) {
    if (TRAIL.has(line.charCodeAt(i))) cost += ++run;
    // The letters of a character reference lengthen the run but start no read of their own.
    else if (inReference[i - from]) run++;
    else run = 0;
  }
  return cost;
}

function nextSpace(line: string, from: number): number {
  let i = from;
  while (i < line.length && line[i] !== ' ' && line[i] !== '\t') i++;
  return i;
}
