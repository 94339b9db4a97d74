import { realpath } from 'node:fs/promises';
import type { App } from '../../core/app/types.ts';
import { DriftlessError } from '../../core/base/index.ts';
import type { BeirQuery, Run } from '../../core/eval/index.ts';
import type { FolderInfo, ImportReport, JobInfo } from '../../core/service/contract.ts';
import type { SearchMode } from './args.ts';
import { hitsToDocIds } from './hits.ts';
import { log } from './log.ts';

export interface TimedImport {
  folder: FolderInfo;
  report: ImportReport;
  elapsedMs: number;
}

/**
 * Adds a folder (or, when this data folder already has it, syncs it) and waits until its import job and
 * everything queued behind it has settled. The time covers scan, parse, embed and write.
 */
export async function importFolder(app: App, root: string): Promise<TimedImport> {
  const resolved = await realpath(root);
  const watch = watchFailures(app);
  const started = performance.now();
  const existing = (await app.api.listFolders({})).find((folder) => folder.root === resolved);
  const folderId = existing ? existing.id : (await app.api.addFolder({ path: resolved })).id;
  if (existing) await app.api.syncFolders({ folderId });
  await settle(app, watch);
  const elapsedMs = performance.now() - started;
  return { ...(await folderState(app, folderId)), elapsedMs };
}

/** Syncs a folder that is already imported and times it; with no changes on disk this is a pure rescan. */
export async function rescanFolder(app: App, folderId: string): Promise<TimedImport> {
  const watch = watchFailures(app);
  const started = performance.now();
  await app.api.syncFolders({ folderId });
  await settle(app, watch);
  const elapsedMs = performance.now() - started;
  return { ...(await folderState(app, folderId)), elapsedMs };
}

/** Collects the jobs that fail from now on; a benchmark must not report figures of a failed import. */
function watchFailures(app: App): { failed: JobInfo[]; stop: () => void } {
  const failed: JobInfo[] = [];
  const stop = app.events.on((event) => {
    if (event.type === 'job' && event.job.state === 'failed') failed.push(event.job);
  });
  return { failed, stop };
}

async function settle(app: App, watch: { failed: JobInfo[]; stop: () => void }): Promise<void> {
  try {
    await app.idle();
  } finally {
    watch.stop();
  }
  const [job] = watch.failed;
  if (!job) return;
  const reason = job.error ?? 'no reason given';
  throw new DriftlessError('INTERNAL', `${job.label} failed: ${reason}`, { jobId: job.id });
}

async function folderState(app: App, folderId: string): Promise<Omit<TimedImport, 'elapsedMs'>> {
  const folder = (await app.api.listFolders({})).find((candidate) => candidate.id === folderId);
  if (!folder) throw new DriftlessError('NOT_FOUND', `Folder ${folderId} vanished during the benchmark`);
  return { folder, report: await app.api.getImportReport({ folderId }) };
}

/** The API's limit on query length; longer queries are cut to it (and counted in the report). */
export const MAX_QUERY_CHARS = 2000;

export interface QueryRun {
  run: Run;
  /** Wall time of each api.search call, in query order. */
  latenciesMs: number[];
  /** Hits on notes that are not part of the materialised corpus. */
  unmappedHits: number;
  elapsedMs: number;
}

/** Runs each query through api.search in one mode and maps the hits back to doc ids. */
export async function runQueries(
  app: App,
  queries: readonly BeirQuery[],
  options: { mode: SearchMode; limit: number; noteToDoc: ReadonlyMap<string, string> },
): Promise<QueryRun> {
  const run = new Map<string, string[]>();
  const latenciesMs: number[] = [];
  let unmappedHits = 0;
  const started = performance.now();
  for (const [i, query] of queries.entries()) {
    const before = performance.now();
    const response = await app.api.search({
      query: query.text.slice(0, MAX_QUERY_CHARS),
      mode: options.mode,
      limit: options.limit,
    });
    latenciesMs.push(performance.now() - before);
    // What the window lists: the matches, then the notes it shows apart as related.
    const mapped = hitsToDocIds([...response.hits, ...response.related], options.noteToDoc);
    run.set(query.id, mapped.docIds);
    unmappedHits += mapped.unmapped;
    if ((i + 1) % 50 === 0) log(`${options.mode}: ${i + 1}/${queries.length} queries`);
  }
  return { run, latenciesMs, unmappedHits, elapsedMs: performance.now() - started };
}
