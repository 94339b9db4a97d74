/**
 * Does search stay fast while the app works? One process holds the app and its HTTP server over an
 * index of `--chunks` synthetic rows spread over three encoder versions (v0, v1, v2 published with
 * real model files and compensators, v2 current). Hybrid queries are issued back to back, in turn
 * in-process and over HTTP: first with nothing else running (idle), then while an adaptation job
 * (the real tfjs trainer, `--steps` steps of `--batch` pairs, from v2) and an import of `--notes`
 * real note files run (duringWork). The event loop's longest stall is measured throughout the work
 * with perf_hooks.monitorEventLoopDelay. Goal: duringWork.p95Ms <= 2 x idle.p95Ms and
 * maxEventLoopStallMs < 100. JSON on stdout, progress on stderr.
 *
 *   npm run bench:responsiveness -- [--chunks 20000] [--notes 200] [--steps 6] [--batch 16]
 *     [--idle-queries 60] [--json] [--out file.json] [--keep]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { sharedUseLiteParts } from '../core/adapt/train/assets.ts';
import { writeUseLiteVersion } from '../core/adapt/train/versionFiles.ts';
import { openApp } from '../core/app/index.ts';
import { Compensator, saveCompensator } from '../core/compat/index.ts';
import { startHttpServer } from '../core/http/index.ts';
import { VersionStore } from '../core/versions/index.ts';
import type { App } from '../core/app/types.ts';
import { buildBulkIndex, loadVocabulary } from './lib/loadBuild.ts';
import { recordLoopStalls } from './lib/loopStalls.ts';
import { followJobs, log } from './lib/log.ts';
import { percentiles } from './lib/loadWindows.ts';
import { round } from './lib/stats.ts';
import { mulberry32 } from './lib/synthetic.ts';
import { emitReport, openWorkspace, runMain } from './lib/workspace.ts';

const VERSIONS = ['v0', 'v1', 'v2'];
const DIMENSIONS = 512;

interface Args {
  chunks: number;
  notes: number;
  steps: number;
  batch: number;
  idleQueries: number;
  out?: string;
  keep: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const value = (name: string, fallback: number): number => {
    const at = argv.indexOf(name);
    const parsed = at >= 0 ? Number(argv[at + 1]) : fallback;
    if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`${name} must be a positive number`);
    return parsed;
  };
  const out = argv.includes('--out') ? argv[argv.indexOf('--out') + 1] : undefined;
  return {
    chunks: value('--chunks', 20_000),
    notes: value('--notes', 200),
    steps: value('--steps', 6),
    batch: value('--batch', 16),
    idleQueries: value('--idle-queries', 60),
    ...(out ? { out } : {}),
    keep: argv.includes('--keep'),
  };
}

runMain(async () => {
  const args = parseArgs(process.argv.slice(2));
  const workspace = await openWorkspace({ keep: args.keep });
  try {
    log(`building ${args.chunks} synthetic chunks over ${VERSIONS.join(', ')}`);
    const build = await buildBulkIndex(workspace.dataDir, args.chunks, VERSIONS);
    await publishSyntheticVersions(path.join(workspace.dataDir, 'versions'));
    await writeNotes(workspace.notesDir, args.notes);
    const app = await openApp({
      dataDir: workspace.dataDir,
      adaptation: { train: { steps: args.steps, batchSize: args.batch }, minPairs: 1 },
    });
    const server = await startHttpServer({ app, staticDir: path.join(workspace.dataDir, 'no-static') });
    const stopLogging = followJobs(app, 5000);
    try {
      const search = searcher(app, server.url, server.token);
      await app.idle(); // jobs the app queues at open (index check, upgrades) are not the work measured
      for (let i = 0; i < 6; i++) await search(i); // warm-up: encoder, caches, HTTP keep-alive
      const idleLoop = monitorEventLoopDelay({ resolution: 10 });
      idleLoop.enable();
      const idleStalls = stallTracer(app);
      const idle: number[] = [];
      for (let i = 0; i < args.idleQueries; i++) idle.push(await search(i));
      idleLoop.disable();
      idleStalls.stop();
      log(`idle: ${idle.length} queries`);
      const work = await duringWork(app, workspace.notesDir, search);
      await emitReport(
        report(args, build, { latencies: idle, loop: idleLoop, stalls: idleStalls.longest() }, work),
        args.out,
      );
    } finally {
      stopLogging();
      await server.close();
      await app.close();
    }
  } finally {
    await workspace.cleanup();
  }
});

/** Runs one hybrid query, in-process for even `i`, over HTTP for odd; returns its latency in ms. */
function searcher(app: App, url: string, token: string): (i: number) => Promise<number> {
  const random = mulberry32(5);
  const vocabulary = loadVocabulary();
  return async (i) => {
    const query = Array.from({ length: 2 + Math.floor(random() * 3) }, () => vocabulary.pick(random)).join(
      ' ',
    );
    const started = performance.now();
    if (i % 2 === 0) await app.api.search({ query, mode: 'hybrid', limit: 10 });
    else {
      const response = await fetch(new URL('/api/search', url), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query, mode: 'hybrid', limit: 10 }),
      });
      if (!response.ok) throw new Error(`HTTP search failed: ${response.status} ${await response.text()}`);
      await response.json();
    }
    return performance.now() - started;
  };
}

interface WorkResult {
  latencies: number[];
  inProcess: number[];
  http: number[];
  listJobs: number[];
  loop: IntervalHistogram;
  seconds: number;
  adaptation: string;
  importedNotes: number;
  trainingBackendSeenWhileRunning: boolean;
  stalls: Stall[];
  /** The most CPU time this thread spent within any one stall (its own code, whatever the load). */
  mostStallCpuMs: number;
}

/** Queues an import and an adaptation, then searches back to back until both have settled. */
async function duringWork(
  app: App,
  notesDir: string,
  search: (i: number) => Promise<number>,
): Promise<WorkResult> {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const stalls = stallTracer(app);
  const started = performance.now();
  const adaptation = app.startAdaptation!({});
  const folder = await app.api.addFolder({ path: notesDir });
  let settled = false;
  const outcome = adaptation.result.then(
    (value) => `published ${value.version}`,
    (error: unknown) => `failed: ${error instanceof Error ? error.message : String(error)}`,
  );
  const jobsDone = Promise.all([outcome, app.idle()]).then(() => (settled = true));
  const latencies: number[] = [];
  const inProcess: number[] = [];
  const http: number[] = [];
  const listJobs: number[] = [];
  let backendSeen = false;
  for (let i = 0; !settled; i++) {
    const ms = await search(i);
    latencies.push(ms);
    (i % 2 === 0 ? inProcess : http).push(ms);
    if (i % 10 === 0) {
      const listed = performance.now();
      const jobs = await app.api.listJobs({});
      listJobs.push(performance.now() - listed);
      if (jobs.some((job) => job.kind === 'adapt' && job.state === 'running'))
        backendSeen ||= Boolean((await app.api.status({})).trainingBackend);
    }
  }
  await jobsDone;
  loop.disable();
  stalls.stop();
  const notes = (await app.api.listFolders({})).find((f) => f.id === folder.id)?.notes ?? 0;
  return {
    latencies,
    inProcess,
    http,
    listJobs,
    loop,
    seconds: (performance.now() - started) / 1000,
    adaptation: await outcome,
    importedNotes: notes,
    trainingBackendSeenWhileRunning: backendSeen,
    stalls: stalls.longest(),
    mostStallCpuMs: stalls.mostCpuMs(),
  };
}

/**
 * The longest stalls of the event loop (a 5 ms timer that fired late by over 50 ms), each with the
 * phase of the job that was running and, on Linux, how much of it this thread spent on a CPU
 * (`cpuMs`: code holding the loop) and waiting for one (`runQueueMs`: the machine busy with other
 * processes), from /proc/self/task/<tid>/schedstat.
 */
function stallTracer(app: App): { stop(): void; longest(): Stall[]; mostCpuMs(): number } {
  const phases = new Map<string, string>();
  const stopEvents = app.events.on((event) => {
    if (event.type !== 'job') return;
    if (event.job.state === 'running') phases.set(event.job.id, `${event.job.kind}:${event.job.phase ?? ''}`);
    else phases.delete(event.job.id);
  });
  const recorder = recordLoopStalls(50, () => [...phases.values()].join(', ') || 'search only');
  let found: Stall[] = [];
  return {
    stop: () => {
      stopEvents();
      found = recorder.stop().map(({ ms, cpuMs, runQueueMs, during }) => ({
        ms: Math.round(ms),
        ...(cpuMs === undefined ? {} : { cpuMs: Math.round(cpuMs), runQueueMs: Math.round(runQueueMs ?? 0) }),
        during: during ?? 'search only',
      }));
    },
    longest: () => found.sort((a, b) => b.ms - a.ms).slice(0, 12),
    mostCpuMs: () => Math.max(0, ...found.map((stall) => stall.cpuMs ?? stall.ms)),
  };
}

interface Stall {
  ms: number;
  cpuMs?: number;
  runQueueMs?: number;
  during: string;
}

function report(
  args: Args,
  build: Awaited<ReturnType<typeof buildBulkIndex>>,
  idleRun: { latencies: number[]; loop: IntervalHistogram; stalls: Stall[] },
  work: WorkResult,
) {
  const { latencies: idle, loop: idleLoop } = idleRun;
  const summary = (values: number[]) => {
    const { p50Ms, p95Ms } = percentiles(values);
    return { n: values.length, p50Ms: p50Ms ?? NaN, p95Ms: p95Ms ?? NaN };
  };
  const idleSummary = summary(idle);
  const during = summary(work.latencies);
  const stall = round(work.loop.max / 1e6, 1) ?? NaN;
  return {
    chunks: build.chunks,
    versions: VERSIONS,
    idle: {
      ...idleSummary,
      maxEventLoopStallMs: round(idleLoop.max / 1e6, 1),
      longestStalls: idleRun.stalls.slice(0, 3),
    },
    duringWork: {
      ...during,
      inProcess: summary(work.inProcess),
      http: summary(work.http),
      listJobs: summary(work.listJobs),
      seconds: round(work.seconds, 1),
      adaptation: work.adaptation,
      trainSteps: args.steps,
      trainBatch: args.batch,
      importedNotes: work.importedNotes,
      trainingBackendShownWhileRunning: work.trainingBackendSeenWhileRunning,
      longestStalls: work.stalls,
    },
    maxEventLoopStallMs: stall,
    /** The longest stall during work that this thread spent mostly on a CPU (its own code, not the OS). */
    maxBusyStallMs: Math.max(0, ...work.stalls.filter((s) => (s.cpuMs ?? s.ms) >= s.ms / 2).map((s) => s.ms)),
    /**
     * The most CPU time the thread spent within one stall during work: on a loaded machine a stall
     * is mostly time waiting for a CPU, and this is the part that the app's own code held it.
     */
    maxStallCpuMs: work.mostStallCpuMs,
    goal: {
      p95WithinTwiceIdle: during.p95Ms <= 2 * idleSummary.p95Ms,
      stallUnder100Ms: stall < 100,
    },
    build: {
      writeSeconds: round(build.writeSeconds, 1) ?? NaN,
      optimizeSeconds: round(build.optimizeSeconds, 1) ?? NaN,
    },
  };
}

/**
 * v1 and v2 as trained versions would be: real model files (the pretrained trainable weights, so
 * their encoders load and embed) and a linear compensator each (identity plus small noise).
 */
async function publishSyntheticVersions(versionsDir: string): Promise<void> {
  const store = await VersionStore.open(versionsDir, 'use-lite');
  const parts = await sharedUseLiteParts();
  const random = mulberry32(3);
  for (const version of VERSIONS.slice(1)) {
    const parent = store.current.version;
    await store.publish(async (staging) => {
      await writeUseLiteVersion(staging, parts.frozen, parts.pretrained);
      const matrix = new Float32Array(DIMENSIONS * DIMENSIONS);
      for (let i = 0; i < DIMENSIONS; i++)
        for (let j = 0; j < DIMENSIONS; j++)
          matrix[i * DIMENSIONS + j] = (i === j ? 1 : 0) + (random() - 0.5) * 0.01;
      const compensator = new Compensator({
        fromVersion: version,
        toVersion: parent,
        dims: DIMENSIONS,
        params: { kind: 'linear', matrix, bias: new Float32Array(DIMENSIONS) },
      });
      await saveCompensator(path.join(staging, 'compensator.json'), compensator);
      return {
        parent,
        backboneId: 'use-lite',
        compensator: { file: 'compensator.json', kind: 'linear', quality: 0.99 },
        metrics: {},
        training: { synthetic: true },
      };
    });
  }
}

/** `count` Markdown notes of a title, headings and sentences from the benchmark's vocabulary. */
async function writeNotes(dir: string, count: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  const random = mulberry32(9);
  const { pick } = loadVocabulary();
  const sentence = () =>
    `${Array.from({ length: 8 + Math.floor(random() * 10) }, () => pick(random)).join(' ')}.`;
  for (let i = 0; i < count; i++) {
    const sections = Array.from(
      { length: 3 },
      (_, s) =>
        `## ${pick(random)} ${pick(random)} ${s}\n\n${Array.from({ length: 6 }, sentence).join(' ')}\n`,
    );
    await writeFile(
      path.join(dir, `note-${i}.md`),
      `# ${pick(random)} ${pick(random)}\n\n${sections.join('\n')}`,
    );
  }
}
