/**
 * Search under load, the app + CLI case: an index of `--chunks` synthetic chunks (written straight
 * into the index with random unit vectors and words from a vocabulary; no encoder), then for
 * `--minutes`, `--searchers` processes search hybrid back to back (the real bundled encoder embeds
 * every query) while a writer process runs adaptation jobs (fixture trainer) and imports real note
 * files, round after round. JSON on stdout: search p50/p95/p99 per time window and overall,
 * errors (should be 0), each process's peak RSS, and throughput. Progress on stderr.
 *
 *   npm run bench:load -- [--chunks 200000] [--minutes 10] [--searchers 2] [--window-seconds s]
 *     [--notes-per-round 30] [--data-dir d] [--out file.json] [--keep]
 */
import path from 'node:path';
import { openApp } from '../core/app/index.ts';
import { buildBulkIndex, type BulkBuild } from './lib/loadBuild.ts';
import { parseLoadArgs, type LoadArgs } from './lib/loadArgs.ts';
import { runLoadProcess, type ProcessOutcome } from './lib/loadProcess.ts';
import { latencyWindows, percentiles, type SearchSample } from './lib/loadWindows.ts';
import { log } from './lib/log.ts';
import { round } from './lib/stats.ts';
import { emitReport, openWorkspace, runMain } from './lib/workspace.ts';

interface SearcherResult {
  samples: SearchSample[];
  errors: string[];
  peakRssMb: number;
}
interface WriterResult {
  rounds: Array<{
    notes: number;
    chunks: number;
    importSeconds: number;
    adaptation: string;
    adaptSeconds: number;
  }>;
  errors: string[];
  peakRssMb: number;
}

runMain(async () => {
  const args = parseLoadArgs(process.argv.slice(2));
  const workspace = await openWorkspace({ ...args, notesDir: undefined });
  try {
    log(`building an index of ${args.chunks} synthetic chunks in ${workspace.dataDir}`);
    const build = await buildBulkIndex(workspace.dataDir, args.chunks);
    // The versions folder and settings exist before several processes open the folder at once.
    await (await openApp({ dataDir: workspace.dataDir })).close();
    const benchRssAfterBuildMb = process.resourceUsage().maxRSS / 1024;
    const load = await runLoad(args, workspace.dataDir, workspace.notesDir);
    await emitReport(report(args, build, benchRssAfterBuildMb, load), args.out);
  } finally {
    await workspace.cleanup();
  }
});

async function runLoad(args: LoadArgs, dataDir: string, workDir: string) {
  // Processes start loading at once; the clock of the run starts when all are expected to be up.
  const startMs = Date.now();
  const untilMs = startMs + args.minutes * 60_000;
  log(`load: ${args.searchers} searcher(s) and one writer for ${args.minutes} minute(s)`);
  const searchers = Array.from({ length: args.searchers }, (_, i) =>
    runLoadProcess<SearcherResult>(
      'bench/lib/loadSearcher.ts',
      [dataDir, String(untilMs), String(i + 1)],
      `searcher ${i + 1}`,
    ),
  );
  const writer = runLoadProcess<WriterResult>(
    'bench/lib/loadWriter.ts',
    [dataDir, path.join(workDir, 'writer'), String(untilMs), String(args.notesPerRound)],
    'writer',
  );
  return { startMs, searchers: await Promise.all(searchers), writer: await writer };
}

function report(
  args: LoadArgs,
  build: BulkBuild,
  benchRssMb: number,
  load: Awaited<ReturnType<typeof runLoad>>,
) {
  const seconds = args.minutes * 60;
  const searchers = load.searchers.map((outcome, i) =>
    searcherReport(outcome, i, load.startMs, args, seconds),
  );
  const all = load.searchers.flatMap((outcome) => outcome.result?.samples ?? []);
  const latencies = all.flatMap(([, latency]) => (latency === null ? [] : [latency]));
  const writer = load.writer.result;
  const imported = (writer?.rounds ?? []).reduce(
    (sum, r) => ({
      notes: sum.notes + r.notes,
      chunks: sum.chunks + r.chunks,
      seconds: sum.seconds + r.importSeconds,
    }),
    { notes: 0, chunks: 0, seconds: 0 },
  );
  const failedProcesses = [...load.searchers, load.writer].filter((outcome) => !outcome.result).length;
  return {
    args: {
      chunks: args.chunks,
      minutes: args.minutes,
      searchers: args.searchers,
      windowSeconds: args.windowSeconds,
    },
    build: {
      ...build,
      writeSeconds: round(build.writeSeconds, 1),
      optimizeSeconds: round(build.optimizeSeconds, 1),
      chunksPerSecond: round(build.chunks / build.writeSeconds, 0),
    },
    search: {
      searches: latencies.length,
      searchesPerSecond: round(latencies.length / seconds, 2),
      ...percentiles(latencies),
      windows: latencyWindows(all, load.startMs, args.windowSeconds),
    },
    searchers,
    writer: writer && {
      rounds: writer.rounds.map((r) => ({
        ...r,
        importSeconds: round(r.importSeconds, 1),
        adaptSeconds: round(r.adaptSeconds, 1),
      })),
      importedNotes: imported.notes,
      importedChunks: imported.chunks,
      importNotesPerSecond: imported.seconds > 0 ? round(imported.notes / imported.seconds, 1) : undefined,
      errors: writer.errors,
      exitCode: load.writer.code,
      stderrTail: load.writer.stderrTail,
    },
    errors: {
      search: all.filter(([, latency]) => latency === null).length,
      writer: writer?.errors.length ?? 0,
      processesWithoutResult: failedProcesses,
    },
    peakRssMb: {
      bench: round(benchRssMb, 0),
      searchers: load.searchers.map((outcome) => round(outcome.result?.peakRssMb, 0)),
      writer: round(writer?.peakRssMb, 0),
    },
  };
}

function searcherReport(
  outcome: ProcessOutcome<SearcherResult>,
  i: number,
  startMs: number,
  args: LoadArgs,
  seconds: number,
) {
  const samples = outcome.result?.samples ?? [];
  const latencies = samples.flatMap(([, latency]) => (latency === null ? [] : [latency]));
  return {
    searcher: i + 1,
    searches: latencies.length,
    searchesPerSecond: round(latencies.length / seconds, 2),
    ...percentiles(latencies),
    errors: samples.length - latencies.length,
    firstErrors: outcome.result?.errors ?? [],
    exitCode: outcome.code,
    stderrTail: outcome.stderrTail,
  };
}
