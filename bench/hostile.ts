/**
 * Hostile inputs: parse time per kind of hostile note at 1x, 4x and 16x its base size, the path glob
 * matcher on a backtracking pattern at 1x, 4x and 16x the name length, and `status` latency while
 * a folder of such notes (and a FIFO) is imported. Linear work keeps the time per byte flat: the
 * growth ratio is the largest increase in time per byte from one size to the next (1 = linear; the
 * target is at most 1.3). JSON on stdout, progress on stderr.
 *
 * Kinds named `gfm-*` aim at what GitHub Flavored Markdown adds (tables, strikethrough, literal
 * autolinks, footnotes) in lines short enough to be parsed, not read as plain text for their length.
 * `msPerKiB` is the time per KiB at the largest size, to compare a kind with `md-ordinary`.
 *
 * `importStall`: the same notes imported with parsing on the app's thread (before) and with big
 * notes parsed on the note-parsing thread (after), alternating `--stall-rounds` times; the app
 * thread's CPU time inside parse calls and the event loop's longest stalls in each, with their
 * ratios after / before (`stallRatio`).
 *
 *   npm run bench:hostile -- [--base-kb 16] [--min-ms 500] [--kinds regexp] [--stall-rounds 2]
 *     [--out file.json]
 */
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openApp } from '../core/app/index.ts';
import { compileGlob } from '../core/base/glob.ts';
import { loadNoteParsers } from '../core/ingest/index.ts';
import { FeatureHashingEncoder } from '../core/testing/index.ts';
import { importStall } from './lib/importStall.ts';
import { log } from './lib/log.ts';
import { latencySummary, round } from './lib/stats.ts';
import { emitReport, openWorkspace, runMain } from './lib/workspace.ts';

const SCALES = [1, 4, 16] as const;

/** A note of one kind: `head`, then `unit` repeated (or called with 0, 1, 2 …) to a length, then `tail`. */
interface HostileKind {
  file: string;
  unit: string | ((index: number) => string);
  head?: string;
  tail?: string;
}

/** Each kind repeats a unit to a length; all froze or slowed the app before (issue 17). */
const KINDS: Record<string, HostileKind> = {
  'md-nested-list-one-line': { file: 'a.md', unit: '- ', tail: 'x' },
  'md-ordered-list-one-line': { file: 'a.md', unit: '1. ', tail: 'x' },
  'md-nested-quotes': { file: 'a.md', unit: '> ', tail: 'x' },
  'md-emphasis-run': { file: 'a.md', unit: '*a ', tail: 'x' },
  'md-nested-emphasis': { file: 'a.md', unit: '*', tail: 'a' },
  'md-open-brackets': { file: 'a.md', unit: '[' },
  'md-unclosed-links': { file: 'a.md', unit: '[a](' },
  'md-link-lines': { file: 'a.md', unit: '[a](b [a](b [a](b x\n' },
  'md-indented-list': { file: 'a.md', unit: '- a\n  - b\n    - c\n      - d\n' },
  'md-ordinary': {
    file: 'a.md',
    unit: '## Heading\n\nSome *text* with a [link](x.md), `code` and #tag.\n\n- item\n  - sub\n\n',
  },
  'md-wikilinks-open': { file: 'a.md', unit: '[[' },
  'html-nested-divs': { file: 'a.html', unit: '<div>' },
  'org-open-links': { file: 'a.org', unit: '[[' },
  'org-heading-spaces': { file: 'a.org', unit: '* a          :' },
  'text-plain': { file: 'a.txt', unit: 'plain words in a line\n' },
  ...gfmKinds(),
};

/** What GFM adds to Markdown, each at its worst for the parser. */
function gfmKinds(): Record<string, HostileKind> {
  const md = (unit: HostileKind['unit'], more: Partial<HostileKind> = {}) => ({
    file: 'a.md',
    unit,
    ...more,
  });
  return {
    'gfm-table-wide': md(`${'|a'.repeat(1_000)}|\n${'|-'.repeat(1_000)}|\n${'|b'.repeat(1_000)}|\n\n`),
    'gfm-table-unclosed-rows': md('| x \n', { head: '| a | b |\n| - | - |\n' }),
    'gfm-pipe-lines': md(`${'|'.repeat(100)}\n`),
    'gfm-strikethrough-nested': md('~~a ', { tail: 'x' }),
    // Lines as dense in delimiters as a piece holds and is still parsed (MAX_SEGMENT_DELIMITERS).
    'gfm-strikethrough-lines': md(`${'~~ab '.repeat(40)}\n`),
    'gfm-www-autolinks': md(`${'www.a '.repeat(20)}\n`),
    'gfm-www-one-word': md(`${'www.a'.repeat(100)}\n`),
    'gfm-www-retries': md(`${'www._'.repeat(400)}\n`),
    'gfm-url-trailing-punctuation': md(`http://a.b${'.,:;'.repeat(1_000)}x\n`),
    'gfm-url-trailing-references': md(`http://a.b/${'&amp;'.repeat(600)}x\n`),
    'gfm-footnote-refs': md(`${'[^a] and '.repeat(20)}\n`, { head: '[^a]: note\n\n' }),
    'gfm-footnote-defs': md((i) => `[^n${i}]: note ${i}\n\nsee [^n${i}]\n\n`),
  };
}

const GLOB = '**/*?*?*?*?*?*?*?*?z';

runMain(async () => {
  const { values } = parseArgs({
    options: {
      'base-kb': { type: 'string', default: '16' },
      'min-ms': { type: 'string', default: '500' },
      kinds: { type: 'string', default: '' },
      'stall-rounds': { type: 'string', default: '2' },
      out: { type: 'string' },
      keep: { type: 'boolean', default: false },
    },
  });
  const baseBytes = Number(values['base-kb']) * 1024;
  const minMs = Number(values['min-ms']);
  const { parseNote } = await loadNoteParsers();
  const parse: Record<string, unknown> = {};
  const kinds = Object.entries(KINDS).filter(([kind]) => new RegExp(values.kinds).test(kind));
  for (const [kind, spec] of kinds) {
    const times = SCALES.map((scale) => {
      const content = build(spec, baseBytes * scale);
      return { bytes: content.length, ms: timeIt(() => parseNote(spec.file, content), minMs) };
    });
    parse[kind] = summary(times);
    log(`${kind}: ${times.map((t) => `${t.bytes}B ${t.ms.toFixed(2)}ms`).join(', ')}`);
  }
  const globTest = compileGlob(GLOB);
  const glob = summary(
    SCALES.map((scale) => {
      const name = `notes/${'a'.repeat(60 * scale)}`;
      return { bytes: name.length, ms: timeIt(() => globTest(name), minMs) };
    }),
  );
  log(`glob ${GLOB}: ${JSON.stringify(glob)}`);
  const workspace = await openWorkspace({ keep: values.keep });
  try {
    const importRun = await importWhileAskingStatus(
      workspace.notesDir,
      workspace.dataDir,
      Object.fromEntries(kinds),
      baseBytes * 16,
    );
    log('importing the notes with parsing in-thread and on the note-parsing thread');
    const stall = await importStall(
      path.join(workspace.syntheticDir, 'import-stall'),
      Object.fromEntries(
        kinds.map(([kind, spec]) => [`${kind}${path.extname(spec.file)}`, build(spec, baseBytes * 16)]),
      ),
      Number(values['stall-rounds']),
    );
    await emitReport(
      {
        benchmark: 'hostile',
        baseBytes,
        scales: SCALES,
        growthRatioTarget: 1.3,
        parse,
        worstParseGrowth: Math.max(...Object.values(parse).map((p) => (p as { growth: number }).growth)),
        glob: { pattern: GLOB, ...glob },
        importWithStatus: importRun,
        importStall: stall,
      },
      values.out,
    );
  } finally {
    await workspace.cleanup();
  }
});

function build(spec: HostileKind, bytes: number): string {
  const { unit, head = '', tail = '' } = spec;
  const room = bytes - head.length - tail.length;
  if (typeof unit === 'string') return head + unit.repeat(Math.max(1, Math.floor(room / unit.length))) + tail;
  const units: string[] = [];
  for (let length = 0, i = 0; length < room || i === 0; i++) {
    units.push(unit(i));
    length += units[i]!.length;
  }
  return head + units.join('') + tail;
}

/**
 * Milliseconds per call: the fastest of five rounds, each as many calls as fit in a fifth of
 * `minMs` (at least one, after one warm-up). The fastest round is the one least disturbed by other
 * work on the machine and by garbage collection.
 */
function timeIt(run: () => unknown, minMs: number): number {
  run();
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    let calls = 0;
    const start = performance.now();
    do {
      run();
      calls++;
    } while (performance.now() - start < minMs / 5);
    best = Math.min(best, (performance.now() - start) / calls);
  }
  return best;
}

/** Times per size, and the largest growth of time per byte from one size to the next. */
function summary(times: Array<{ bytes: number; ms: number }>) {
  const perByte = times.map((t) => t.ms / t.bytes);
  const steps = perByte.slice(1).map((value, i) => value / perByte[i]!);
  const largest = times.at(-1)!;
  return {
    sizes: times.map((t) => ({ bytes: t.bytes, ms: round(t.ms, 4) })),
    growthPerStep: steps.map((step) => round(step, 3)),
    growth: round(Math.max(...steps), 3)!,
    msPerKiB: round((largest.ms * 1024) / largest.bytes, 4),
  };
}

/**
 * Imports a folder holding one note of every kind at the largest size and a FIFO, asking `status`
 * back to back meanwhile: every answer's latency, and how long the import took.
 */
async function importWhileAskingStatus(
  notesDir: string,
  dataDir: string,
  kinds: Record<string, HostileKind>,
  bytes: number,
) {
  await mkdir(notesDir, { recursive: true });
  for (const [kind, spec] of Object.entries(kinds))
    await writeFile(path.join(notesDir, `${kind}${path.extname(spec.file)}`), build(spec, bytes));
  execFileSync('mkfifo', [path.join(notesDir, 'a-fifo.md')]);
  const app = await openApp({
    dataDir,
    loadEncoder: async () => new FeatureHashingEncoder({ dimensions: 512 }),
    watch: false,
  });
  try {
    const started = performance.now();
    const { id } = await app.api.addFolder({ path: notesDir });
    let finished = false;
    const idle = app.idle().then(() => (finished = true));
    const latencies: number[] = [];
    while (!finished) {
      const asked = performance.now();
      await app.api.status({});
      latencies.push(performance.now() - asked);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await idle;
    const importMs = performance.now() - started;
    const report = await app.api.getImportReport({ folderId: id });
    return {
      notes: Object.keys(kinds).length + 1,
      bytesPerNote: bytes,
      encoder: 'feature hashing (the test encoder: parse and store cost only)',
      importSeconds: round(importMs / 1000),
      added: report.added,
      skipped: report.skipped.map((skip) => `${skip.path}: ${skip.reason}`),
      statusLatency: { ...latencySummary(latencies), maxMs: round(Math.max(...latencies)) },
    };
  } finally {
    await app.close();
  }
}
