/**
 * Start-up cost of the `driftless` command line as users run it: the wall time of `node
 * bin/driftless.mjs` child processes for --help, --version, `status` on a small data folder and
 * `search` on an index of `--chunks` chunks, interleaved with `node -e 0` so every figure is also a
 * ratio to Node's own start, measured in the same run (issue 15: --help under 0.5 s, search under
 * 1.5 s). JSON on stdout, progress on stderr.
 *
 * The large index is the small folder's notes plus synthetic rows written straight into the index
 * (random vectors, see writeSyntheticRows): search cost depends on the row count, not on the vectors.
 * The command line's bundle is brought up to date first (scripts/buildCli.mjs --if-stale), so the
 * figures are those of every start but the first after a change; `help (sources)` is the TypeScript
 * sources through tsx, what a start with a stale bundle costs.
 *
 * `--against <checkout>` adds the same commands run by another checkout's bin/driftless.mjs (e.g. one
 * made with `git archive <commit>`, its node_modules linked in), interleaved with these: a before and
 * after under the same load, which a busy machine otherwise makes hard to compare.
 *
 *   npm run -s bench:cli -- [--runs 7] [--chunks 10000] [--npx] [--against dir] [--out file.json] [--keep]
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openApp } from '../core/app/index.ts';
import { materializeCorpus } from '../core/eval/index.ts';
import { log } from './lib/log.ts';
import { importFolder } from './lib/session.ts';
import { timeStartups, type StartupCase } from './lib/startup.ts';
import { round } from './lib/stats.ts';
import { makeVocabulary, mulberry32, syntheticNotes } from './lib/synthetic.ts';
import { writeSyntheticRows } from './lib/syntheticRows.ts';
import { emitReport, openWorkspace, runMain } from './lib/workspace.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'driftless.mjs');

/** The small folder: enough notes for `status` and `search` to have real content to report. */
const SMALL_NOTES = { notes: 20, sectionsPerNote: 3 };

runMain(async () => {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      runs: { type: 'string', default: '7' },
      chunks: { type: 'string', default: '10000' },
      npx: { type: 'boolean', default: false },
      against: { type: 'string' },
      out: { type: 'string' },
      keep: { type: 'boolean', default: false },
    },
  });
  const runs = Math.max(1, Number.parseInt(values.runs, 10) || 7);
  const chunks = Math.max(0, Number.parseInt(values.chunks, 10) || 0);
  const workspace = await openWorkspace({ keep: values.keep });
  try {
    const smallDir = path.join(workspace.dataDir, 'small');
    const largeDir = path.join(workspace.dataDir, 'large');
    await materializeCorpus(syntheticNotes(SMALL_NOTES), workspace.notesDir);
    await importInto(smallDir, workspace.notesDir);
    const rows = await importInto(largeDir, workspace.notesDir, chunks);
    log('bringing the bundle of the command line up to date');
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'buildCli.mjs'), '--if-stale'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const cases = startupCases(BIN, smallDir, largeDir, values.npx);
    if (values.against) {
      const other = path.resolve(values.against);
      const theirs = startupCases(path.join(other, 'bin', 'driftless.mjs'), smallDir, largeDir, false);
      cases.push(...theirs.slice(1).map((item) => ({ ...item, name: `${item.name} @ ${other}` })));
    }
    log(`warming up (one untimed run of each), then ${runs} interleaved runs of ${cases.length} commands`);
    await timeStartups(cases, 1, ROOT);
    const loadBefore = os.loadavg();
    const figures = await timeStartups(cases, runs, ROOT);
    await emitReport(
      {
        node: process.version,
        cpus: os.availableParallelism(),
        loadAverage: {
          before: loadBefore.map((v) => round(v, 2)),
          after: os.loadavg().map((v) => round(v, 2)),
        },
        searchIndexChunks: rows,
        runs,
        figures,
      },
      values.out,
    );
  } finally {
    await workspace.cleanup();
  }
});

/** `node -e 0` first (the baseline), then the command line's starts through `bin`. */
function startupCases(bin: string, smallDir: string, largeDir: string, npx: boolean): StartupCase[] {
  const node = process.execPath;
  const cli = (...args: string[]) => [bin, ...args];
  const cases: StartupCase[] = [
    { name: 'baseline', command: node, args: ['-e', '0'] },
    { name: 'help', command: node, args: cli('--help') },
    { name: 'version', command: node, args: cli('--version') },
    { name: 'status', command: node, args: cli('--data-dir', smallDir, 'status') },
    { name: 'search', command: node, args: cli('--data-dir', largeDir, 'search', searchQuery()) },
    {
      name: 'help (sources)',
      command: node,
      args: cli('--help'),
      env: { ...process.env, DRIFTLESS_CLI: 'sources' },
    },
  ];
  // npx's own start (finding the bin through npm) is outside the project, and costs seconds here.
  if (npx) cases.push({ name: 'npx help', command: 'npx', args: ['driftless', '--help'] });
  return cases;
}

/**
 * Imports the notes into a new data folder and, when asked, adds synthetic rows to its index;
 * resolves to the number of chunks the index holds.
 */
async function importInto(dataDir: string, notesDir: string, syntheticRows = 0): Promise<number> {
  const app = await openApp({ dataDir });
  let chunks: number;
  let dimensions: number;
  let version: string;
  try {
    log(`importing the small folder into ${dataDir}`);
    chunks = (await importFolder(app, notesDir)).folder.chunks;
    const status = await app.api.status({});
    dimensions = status.encoder.dimensions;
    version = status.currentVersion;
  } finally {
    await app.close();
  }
  if (syntheticRows === 0) return chunks;
  log(`writing ${syntheticRows} synthetic rows into ${dataDir}`);
  const written = await writeSyntheticRows(path.join(dataDir, 'index'), {
    rows: syntheticRows,
    dimensions,
    encoderVersion: version,
  });
  return chunks + written;
}

/** Two frequent words of the synthetic rows' vocabulary (the same seed as writeSyntheticRows). */
function searchQuery(): string {
  const vocabulary = makeVocabulary(5000, mulberry32(7));
  return `${vocabulary[0]} ${vocabulary[1]}`;
}
