/**
 * Retrieval quality of the real app on a BEIR-layout dataset: the corpus is written as Markdown notes,
 * imported through addFolder like a user's folder, and every judged query of the split is searched in
 * each mode, hybrid with the fusion the app chose from those notes (`fusion` in the report). JSON on
 * stdout (use `npm run -s` or `--out` for clean JSON), progress on stderr.
 *
 *   npm run bench:retrieval -- <dataset folder> [--split test] [--modes text,dense,hybrid]
 *     [--limit-queries n] [--exclude-self auto|on|off] [--data-dir d] [--notes-dir d] [--out file.json]
 */
import path from 'node:path';
import { readFusionChoice } from '../core/app/fusionChoice.ts';
import { openApp } from '../core/app/index.ts';
import type { App } from '../core/app/types.ts';
import { evaluateRun, materializeCorpus, readBeirDataset } from '../core/eval/index.ts';
import type { BeirDataset, BeirQuery, MaterializedCorpus, Qrels } from '../core/eval/index.ts';
import { parseRetrievalArgs, type RetrievalArgs } from './lib/args.ts';
import { followJobs, log } from './lib/log.ts';
import { judgedQueries, resolveExcludeSelf } from './lib/queries.ts';
import { buildRetrievalReport, type ModeMeasure } from './lib/report.ts';
import { importFolder, MAX_QUERY_CHARS, runQueries } from './lib/session.ts';
import { emitReport, openWorkspace, runMain, type Workspace } from './lib/workspace.ts';

/** Results per query: 100 for Recall@100, one more when the query's own doc is removed afterwards. */
const RESULTS_PER_QUERY = 100;

runMain(async () => {
  const args = parseRetrievalArgs(process.argv.slice(2));
  const workspace = await openWorkspace(args);
  try {
    await emitReport(await benchRetrieval(args, workspace), args.out);
  } finally {
    await workspace.cleanup();
  }
});

async function benchRetrieval(args: RetrievalArgs, workspace: Workspace) {
  log(`reading ${args.datasetDir} (split ${args.split})`);
  const dataset = await readBeirDataset(args.datasetDir, { split: args.split, unknownIds: 'drop' });
  const queries = judgedQueries(dataset, args.limitQueries);
  const excludeSelf = resolveExcludeSelf(
    args.excludeSelf,
    queries,
    new Map(dataset.corpus.map((doc) => [doc.id, doc.text])),
  );
  const started = performance.now();
  const notes = await materializeCorpus(dataset.corpus, workspace.notesDir, {
    total: dataset.corpus.length,
    onProgress: (p) => p.done % 1000 === 0 && log(`materialised ${p.done}/${p.total}`),
  });
  const materializeMs = performance.now() - started;
  log(
    `notes in ${workspace.notesDir} (${notes.written} written, ${notes.unchanged} unchanged); data in ${workspace.dataDir}`,
  );
  const app = await openApp({ dataDir: workspace.dataDir });
  const stopFollowing = followJobs(app);
  try {
    return await measure(app, { args, dataset, queries, excludeSelf, notes, materializeMs });
  } finally {
    stopFollowing();
    await app.close();
  }
}

interface Prepared {
  args: RetrievalArgs;
  dataset: BeirDataset;
  queries: BeirQuery[];
  excludeSelf: boolean;
  notes: MaterializedCorpus;
  materializeMs: number;
}

async function measure(app: App, prepared: Prepared) {
  const { args, dataset, queries, excludeSelf, notes } = prepared;
  const imported = await importFolder(app, notes.folder);
  log(
    `imported ${imported.folder.notes} notes, ${imported.folder.chunks} chunks in ${Math.round(imported.elapsedMs)} ms`,
  );
  const qrels = qrelsFor(dataset.qrels, queries);
  const modes: ModeMeasure[] = [];
  for (const mode of args.modes) {
    const limit = RESULTS_PER_QUERY + (excludeSelf ? 1 : 0);
    const queryRun = await runQueries(app, queries, { mode, limit, noteToDoc: notes.noteToDoc });
    const evaluation = evaluateRun(queryRun.run, qrels, { excludeSelf });
    log(`${mode}: nDCG@10 ${evaluation.metrics['nDCG@10']?.toFixed(4)} over ${evaluation.queries} queries`);
    modes.push({ mode, evaluation, ...queryRun });
  }
  const status = await app.api.status({});
  // The hybrid fusion the app chose from the imported notes (absent: too few notes, the default).
  const fusion = (await readFusionChoice(app.dataDir)) ?? null;
  const report = buildRetrievalReport({
    dataset: path.basename(dataset.dir),
    split: dataset.split,
    excludeSelf,
    queries: queries.length,
    truncatedQueries: queries.filter((query) => query.text.length > MAX_QUERY_CHARS).length,
    issues: dataset.issues,
    corpus: { docs: dataset.corpus.length, notesWritten: notes.written, notesUnchanged: notes.unchanged },
    index: {
      notes: imported.folder.notes,
      chunks: imported.folder.chunks,
      skipped: imported.report.skipped.length,
      indexBytes: status.indexBytes,
    },
    modes,
    timings: { materializeMs: prepared.materializeMs, importMs: imported.elapsedMs },
    encoder: status.encoder,
  });
  return { ...report, fusion };
}

/** The judgements of the queries that were run (all of them, unless --limit-queries cut the list). */
function qrelsFor(qrels: Qrels, queries: readonly BeirQuery[]): Qrels {
  const subset: Qrels = new Map();
  for (const query of queries) {
    const judged = qrels.get(query.id);
    if (judged) subset.set(query.id, judged);
  }
  return subset;
}
