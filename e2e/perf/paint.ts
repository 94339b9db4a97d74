/**
 * Paint latency of the search window: from the last keystroke in the search box to the results
 * painted, in Debian's Chromium against the real `driftless serve` on a data folder holding the
 * given notes. Not a test: it prints JSON.
 *
 *   npm run bench:paint -- <notes-folder | BEIR-dataset-folder>... [--queries 50] [--data-dir <dir>]
 *
 * A BEIR folder (with corpus.jsonl) is written out as notes first and its test queries are typed;
 * for a plain notes folder the note titles (file names) are. Several sources make one larger
 * library (each is added as its own folder), and their queries are typed in turn, so that no
 * single collection reaches a size like 10k notes by itself. `--data-dir` keeps the index between
 * runs (the import is then skipped for every folder already there).
 */
import { chromium } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startServe, ROOT } from '../serverProcess.ts';
import { debounceOf, installProbe, measureQuery, type PaintSample } from './pageProbe.ts';
import { prepareNotes, type PreparedNotes } from './prepareNotes.ts';
import { CHROMIUM_LAUNCH_OPTIONS } from '../chromium.ts';

const WARM_UP_QUERIES = 3;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { queries: { type: 'string', default: '50' }, 'data-dir': { type: 'string' } },
  });
  if (positionals.length === 0)
    throw new Error('usage: paint.ts <notes-folder | BEIR-dataset-folder>... [--queries N]');
  const dataDir = values['data-dir'] ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-paint-')));
  const count = Number(values.queries);
  const sources: PreparedNotes[] = [];
  for (const source of positionals) sources.push(await prepareNotes(path.resolve(source), dataDir, count));
  const importSeconds = sources.map((prepared) => importNotes(dataDir, prepared.notesDir));
  const queries = interleave(sources.map((prepared) => prepared.queries)).slice(0, count);
  const library = status(dataDir);
  const loadBefore = os.loadavg();
  const server = await startServe('bin/driftless.mjs', dataDir);
  const browser = await chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 780 } });
    await page.goto(server.url);
    await page.getByTestId('search-input').waitFor();
    await installProbe(page);
    const debounceMs = await debounceOf(page);
    for (const query of queries.slice(0, WARM_UP_QUERIES)) await measureQuery(page, query, debounceMs);
    const samples: PaintSample[] = [];
    for (const query of queries) samples.push(await measureQuery(page, query, debounceMs));
    const load = { cpus: os.cpus().length, loadAverageBefore: loadBefore, loadAverageAfter: os.loadavg() };
    const report = { ...summary(positionals, sources, importSeconds, library, debounceMs, samples), ...load };
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await browser.close();
    await server.stop();
    if (!values['data-dir']) await fs.rm(dataDir, { recursive: true, force: true });
  }
}

function cli(dataDir: string, ...args: string[]): string {
  return execFileSync(process.execPath, ['bin/driftless.mjs', '--data-dir', dataDir, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

/** Adds the notes folder with the CLI (which waits for the import); skipped when already added. */
function importNotes(dataDir: string, notesDir: string): number | undefined {
  if (cli(dataDir, 'folders').includes(notesDir)) return undefined;
  const started = performance.now();
  process.stderr.write(`Importing ${notesDir} into ${dataDir}…\n`);
  process.stderr.write(cli(dataDir, 'add', notesDir));
  return (performance.now() - started) / 1000;
}

/** How many notes and chunks the data folder holds, as `driftless status` counts them. */
function status(dataDir: string): { notes: number; chunks: number } {
  const info = JSON.parse(cli(dataDir, 'status', '--json')) as { notes: number; chunks: number };
  return { notes: info.notes, chunks: info.chunks };
}

/** Takes one query from each list in turn, so every source is typed whatever the query count. */
function interleave(lists: string[][]): string[] {
  const longest = Math.max(0, ...lists.map((list) => list.length));
  const out: string[] = [];
  for (let i = 0; i < longest; i++) for (const list of lists) if (i < list.length) out.push(list[i]!);
  return out;
}

function summary(
  sourceArgs: string[],
  sources: PreparedNotes[],
  importSeconds: (number | undefined)[],
  library: { notes: number; chunks: number },
  debounceMs: number,
  samples: PaintSample[],
) {
  const of = (pick: (s: PaintSample) => number) => stats(samples.map(pick));
  const imported = importSeconds.filter((seconds) => seconds !== undefined);
  return {
    sources: sourceArgs.map((source, i) => ({ source, kind: sources[i]!.kind })),
    ...library,
    queries: samples.length,
    warmUpQueries: WARM_UP_QUERIES,
    ...(imported.length > 0 ? { importSeconds: round(imported.reduce((a, b) => a + b, 0)) } : {}),
    debounceMs,
    keystrokeToPaintMs: of((s) => s.keystrokeToPaintMs),
    afterDebounceMs: of((s) => s.afterDebounceMs),
    serverSearchMs: of((s) => s.serverMs),
    queriesWithoutHits: samples.filter((s) => s.hits === 0).length,
    // In the order typed, without the query texts (the collections' texts stay out of reports).
    samples: samples.map((s) => ({
      afterDebounceMs: round(s.afterDebounceMs),
      serverMs: round(s.serverMs),
      hits: s.hits,
    })),
  };
}

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
  const mean = values.reduce((sum, v) => sum + v, 0) / Math.max(1, values.length);
  return { p50: round(at(0.5)), p95: round(at(0.95)), mean: round(mean), max: round(at(1)) };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

await main();
