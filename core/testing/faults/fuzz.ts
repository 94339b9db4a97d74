import fc from 'fast-check';

/** Cases run per fuzzed parser, printed at the end of each fuzz file (see `reportFuzzCounts`). */
const counts = new Map<string, number>();

/**
 * Runs a fast-check property with a fixed seed (override with DRIFTLESS_FUZZ_SEED) and records how
 * many cases ran under `name`.
 */
export async function fuzz<T>(
  name: string,
  property: fc.IAsyncProperty<T> | fc.IProperty<T>,
  numRuns: number,
): Promise<void> {
  const seed = Number(process.env.DRIFTLESS_FUZZ_SEED ?? 424242);
  const details = await fc.check(property, { numRuns, seed });
  counts.set(name, (counts.get(name) ?? 0) + details.numRuns);
  if (details.failed) {
    throw new Error(fc.defaultReportMessage(details) ?? `fuzz ${name} failed`, {
      cause: details.errorInstance,
    });
  }
}

/** Prints `fuzz <name>: <n> cases` for every property run in this file. */
export function reportFuzzCounts(): void {
  for (const [name, count] of counts) console.log(`fuzz ${name}: ${count} cases`);
}

/** Text with the characters parsers trip on: markup, entities, line breaks, surrogates, NUL. */
export function hostileText(maxLength = 400): fc.Arbitrary<string> {
  const pieces = fc.constantFrom(
    '\n',
    '\r\n',
    '\r',
    '\t',
    ' ',
    '#',
    '##',
    '* ',
    '- ',
    '---',
    '+++',
    '```',
    '~~~',
    '<',
    '>',
    '</',
    '/>',
    '&',
    '&amp;',
    '&#x0;',
    '&#99999999;',
    '<!--',
    '-->',
    '<![CDATA[',
    ']]>',
    '<script>',
    '</script>',
    '<style>',
    '<title>',
    '<h1>',
    '<p>',
    ':',
    '[[',
    ']]',
    '[',
    ']',
    '(',
    ')',
    '#+TITLE:',
    '#+FILETAGS:',
    '#+BEGIN_SRC',
    '#+END_SRC',
    ':PROPERTIES:',
    ':END:',
    '\u0000',
    '\uFEFF',
    '\uD800',
    '\uDC00',
    '😀',
    'é',
    'tags: [a, b]',
    'title: x',
    '{',
    '}',
    '"',
    "'",
    '\\',
    '|',
    '%',
    '$',
    'a',
    'word ',
    '0',
    '-1',
    'null',
    'true',
    '&nbsp;',
    '\u2028',
    '\u0085',
  );
  return fc
    .array(fc.oneof(pieces, fc.string({ maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 4 })), {
      maxLength: Math.ceil(maxLength / 4),
    })
    .map((parts) => parts.join(''));
}
