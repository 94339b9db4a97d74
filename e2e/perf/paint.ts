/**
 * Paint latency of the search window: from the last keystroke in the search box to the results
 * painted, in Debian's Chromium against the real `driftless serve` on a data folder holding the
 * given notes. Not a test: it prints JSON.
 *
 *   npm run bench:paint -- <notes-folder | BEIR-dataset-folder> [--queries 50] [--data-dir <dir>]
 *
 * A BEIR folder (with corpus.jsonl) is written out as notes first and its test queries are typed;
 * for a plain notes folder the note titles (file names) are. `--data-dir` keeps the index between
 * runs (the import is then skipped when the folder is already there).
 */
import { chromium } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startServe, ROOT } from '../serverProcess.ts';
import { debounceOf, installProbe, measureQuery, type PaintSample } from './pageProbe.ts';
import { prepareNotes } from './prepareNotes.ts';
import { CHROMIUM_LAUNCH_OPTIONS } from '../chromium.ts';

const WARM_UP_QUERIES = 3;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { queries: { type: 'string', default: '50' }, 'data-dir': { type: 'string' } },
  });
  const source = positionals[0];
  if (!source) throw new Error('usage: paint.ts <notes-folder | BEIR-dataset-folder> [--queries N]');
  const dataDir = values['data-dir'] ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-paint-')));
  const prepared = await prepareNotes(path.resolve(source), dataDir, Number(values.queries));
  const importSeconds = importNotes(dataDir, prepared.notesDir);
  const server = await startServe('bin/driftless.mjs', dataDir);
  const browser = await chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 780 } });
    await page.goto(server.url);
    await page.getByTestId('search-input').waitFor();
    await installProbe(page);
    const debounceMs = await debounceOf(page);
    for (const query of prepared.queries.slice(0, WARM_UP_QUERIES))
      await measureQuery(page, query, debounceMs);
    const samples: PaintSample[] = [];
    for (const query of prepared.queries) samples.push(await measureQuery(page, query, debounceMs));
    console.log(JSON.stringify(summary(source, prepared.kind, importSeconds, debounceMs, samples), null, 2));
  } finally {
    await browser.close();
    await server.stop();
    if (!values['data-dir']) await fs.rm(dataDir, { recursive: true, force: true });
  }
}

/** Adds the notes folder with the CLI (which waits for the import); skipped when already added. */
function importNotes(dataDir: string, notesDir: string): number | undefined {
  const cli = (...args: string[]) =>
    execFileSync(process.execPath, ['bin/driftless.mjs', '--data-dir', dataDir, ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
  if (cli('folders').includes(notesDir)) return undefined;
  const started = performance.now();
  process.stderr.write(`Importing ${notesDir} into ${dataDir}…\n`);
  process.stderr.write(cli('add', notesDir));
  return (performance.now() - started) / 1000;
}

function summary(
  source: string,
  kind: string,
  importSeconds: number | undefined,
  debounceMs: number,
  samples: PaintSample[],
) {
  const of = (pick: (s: PaintSample) => number) => stats(samples.map(pick));
  return {
    source,
    kind,
    queries: samples.length,
    warmUpQueries: WARM_UP_QUERIES,
    ...(importSeconds !== undefined ? { importSeconds: round(importSeconds) } : {}),
    debounceMs,
    keystrokeToPaintMs: of((s) => s.keystrokeToPaintMs),
    afterDebounceMs: of((s) => s.afterDebounceMs),
    serverSearchMs: of((s) => s.serverMs),
    queriesWithoutHits: samples.filter((s) => s.hits === 0).length,
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
