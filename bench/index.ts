/**
 * Indexing cost of the real app: import speed (notes/s, chunks/s) of a dataset's corpus written as
 * Markdown notes, the time of a rescan with nothing changed, hybrid query latency over a fixed query
 * sample, and index size on disk; then the same after adding synthetic notes up to about
 * `--synthetic-chunks` chunks (0, the default, skips that phase). JSON on stdout (use `npm run -s` or
 * `--out` for clean JSON), progress on stderr.
 *
 * The synthetic notes are imported in two steps (a pilot, then the rest) and their import time is the
 * sum of both. On a small machine the real encoder makes ~100k chunks an hour-long run.
 *
 * With `--synthetic-rows` the synthetic chunks are written straight into the index with random
 * vectors instead (see writeSyntheticRows): the latency at 100k chunks in minutes, not an hour.
 *
 *   npm run bench:index -- <dataset folder> [--synthetic-chunks 100000] [--synthetic-rows]
 *     [--sections-per-note 20] [--query-sample 100] [--data-dir d] [--notes-dir d] [--out file.json] [--keep]
 */
import path from 'node:path';
import { openApp } from '../core/app/index.ts';
import type { App } from '../core/app/types.ts';
import { materializeCorpus, readBeirCorpus, readBeirQueries } from '../core/eval/index.ts';
import type { BeirQuery } from '../core/eval/index.ts';
import { parseIndexArgs, type IndexArgs } from './lib/args.ts';
import { followJobs, log } from './lib/log.ts';
import { sampleQueries } from './lib/queries.ts';
import { buildIndexReport, type IndexPhaseMeasure } from './lib/report.ts';
import { importFolder, rescanFolder, runQueries, type TimedImport } from './lib/session.ts';
import { round } from './lib/stats.ts';
import { syntheticNotes } from './lib/synthetic.ts';
import { writeSyntheticRows } from './lib/syntheticRows.ts';
import { emitReport, openWorkspace, runMain, type Workspace } from './lib/workspace.ts';

/** Searches run before timing starts, so one-off warm-up costs stay out of the percentiles. */
const WARMUP_QUERIES = 3;

/**
 * Synthetic notes imported first to learn how many chunks the real chunker makes of one; the rest of
 * the notes needed for the requested chunk count follow (the pilot notes stay unchanged on disk).
 */
const PILOT_NOTES = 20;

runMain(async () => {
  const args = parseIndexArgs(process.argv.slice(2));
  const workspace = await openWorkspace(args);
  try {
    await emitReport(await benchIndex(args, workspace), args.out);
  } finally {
    await workspace.cleanup();
  }
});

async function benchIndex(args: IndexArgs, workspace: Workspace) {
  const queries = await collect(readBeirQueries(path.join(args.datasetDir, 'queries.jsonl')));
  const sample = sampleQueries(queries, args.querySample);
  log(`writing the corpus of ${args.datasetDir} as notes in ${workspace.notesDir}`);
  await materializeCorpus(readBeirCorpus(path.join(args.datasetDir, 'corpus.jsonl')), workspace.notesDir);
  const app = await openApp({ dataDir: workspace.dataDir });
  const stopFollowing = followJobs(app);
  try {
    const corpus = await measurePhase(app, workspace.notesDir, sample);
    const synthetic = await syntheticPhase(app, args, workspace, sample);
    const { encoder } = await app.api.status({});
    return buildIndexReport({ dataset: path.basename(args.datasetDir), corpus, ...synthetic, encoder });
  } finally {
    stopFollowing();
    await app.close();
  }
}

async function syntheticPhase(app: App, args: IndexArgs, workspace: Workspace, sample: BeirQuery[]) {
  if (args.syntheticChunks === 0) return { synthetic: { skipped: '--synthetic-chunks not given' } };
  if (args.syntheticRows) return syntheticRowsPhase(app, args, workspace, sample);
  const write = (notes: number) => {
    log(`writing ${notes} synthetic notes of ${args.sectionsPerNote} sections in ${workspace.syntheticDir}`);
    return materializeCorpus(
      syntheticNotes({ notes, sectionsPerNote: args.sectionsPerNote }),
      workspace.syntheticDir,
    );
  };
  const started = performance.now();
  await write(PILOT_NOTES);
  let materializeMs = performance.now() - started;
  const pilot = await importFolder(app, workspace.syntheticDir);
  const chunksPerNote = Math.max(1, pilot.folder.chunks / Math.max(1, pilot.folder.notes));
  const notes = Math.max(PILOT_NOTES, Math.ceil(args.syntheticChunks / chunksPerNote));
  const restStarted = performance.now();
  await write(notes);
  materializeMs += performance.now() - restStarted;
  const rest = await importFolder(app, workspace.syntheticDir);
  const imported = { ...rest, elapsedMs: pilot.elapsedMs + rest.elapsedMs };
  return {
    synthetic: await measureImported(app, imported, sample),
    syntheticSetup: {
      requestedChunks: args.syntheticChunks,
      sectionsPerNote: args.sectionsPerNote,
      pilotChunksPerNote: round(chunksPerNote),
      materializeMs: round(materializeMs) ?? 0,
    },
  };
}

/**
 * Adds synthetic rows directly to the index (no encoder), then measures as after an import: the
 * "import" time is the direct write plus index building, and the rescan is of the corpus folder.
 */
async function syntheticRowsPhase(app: App, args: IndexArgs, workspace: Workspace, sample: BeirQuery[]) {
  const { currentVersion, encoder } = await app.api.status({});
  log(`writing ${args.syntheticChunks} synthetic rows straight into the index`);
  const started = performance.now();
  const rows = await writeSyntheticRows(path.join(workspace.dataDir, 'index'), {
    rows: args.syntheticChunks,
    dimensions: encoder.dimensions,
    encoderVersion: currentVersion,
    chunksPerNote: args.sectionsPerNote,
  });
  const elapsedMs = performance.now() - started;
  const [corpusFolder] = await app.api.listFolders({});
  const folder = { ...corpusFolder!, notes: Math.ceil(rows / args.sectionsPerNote), chunks: rows };
  const imported = { folder, report: await app.api.getImportReport({ folderId: folder.id }), elapsedMs };
  return {
    synthetic: await measureImported(app, imported, sample),
    syntheticSetup: { requestedChunks: args.syntheticChunks, rowsWrittenDirectly: rows },
  };
}

/** Imports one folder into the app, then measures it (see measureImported). */
async function measurePhase(app: App, folder: string, sample: BeirQuery[]): Promise<IndexPhaseMeasure> {
  return measureImported(app, await importFolder(app, folder), sample);
}

/** Rescans an imported folder unchanged, then times hybrid queries at the index size reached. */
async function measureImported(
  app: App,
  imported: TimedImport,
  sample: BeirQuery[],
): Promise<IndexPhaseMeasure> {
  log(
    `imported ${imported.folder.notes} notes, ${imported.folder.chunks} chunks in ${Math.round(imported.elapsedMs)} ms`,
  );
  const rescan = await rescanFolder(app, imported.folder.id);
  log(`unchanged rescan in ${Math.round(rescan.elapsedMs)} ms`);
  const options = { mode: 'hybrid', limit: 10, noteToDoc: new Map<string, string>() } as const;
  await runQueries(app, sample.slice(0, WARMUP_QUERIES), options);
  const timed = await runQueries(app, sample, options);
  const status = await app.api.status({});
  return {
    notes: imported.folder.notes,
    chunks: imported.folder.chunks,
    importMs: imported.elapsedMs,
    rescanMs: rescan.elapsedMs,
    latenciesMs: timed.latenciesMs,
    indexBytes: status.indexBytes,
    totalChunks: status.chunks,
  };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
