import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseNoteYielding } from '../../core/ingest/index.ts';
import { sharedParseHost } from '../../core/jobs/offThread/index.ts';
import { importNoteParser, syncFolder, type NoteParser } from '../../core/library/index.ts';
import { NoteIndex } from '../../core/store/index.ts';
import { FeatureHashingEncoder } from '../../core/testing/index.ts';
import { recordLoopStalls, schedStat, type LoopStall } from './loopStalls.ts';
import { ratio, round } from './stats.ts';

const PARSERS: Record<'inThread' | 'offThread', NoteParser> = {
  // The parser of imports before big notes moved off the thread: in pieces, giving the thread back.
  inThread: parseNoteYielding,
  offThread: importNoteParser(),
};

/**
 * How long importing `files` holds the thread that serves search, parsing in-thread (before) and
 * with the parser of imports, which sends big notes to the note-parsing thread (after): the folder
 * is imported into a fresh index by each in turn, `rounds` times, and every stall of the event loop
 * recorded. `duringParse` counts only stalls that overlap a parse call; the rest of an import
 * (chunking, the test encoder's embedding, writes) stays on this thread either way. On a loaded
 * machine a stall's wall time includes waiting for a CPU; `maxStallCpuMs` is this thread's own work.
 */
export async function importStall(dir: string, files: Record<string, string>, rounds: number) {
  const notes = path.join(dir, 'notes');
  await mkdir(notes, { recursive: true });
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(notes, name), content);
  const runs = { inThread: [] as Run[], offThread: [] as Run[] };
  for (let round = 0; round < rounds; round++)
    for (const name of ['inThread', 'offThread'] as const)
      runs[name].push(await importOnce(notes, path.join(dir, `index-${name}-${round}`), PARSERS[name]));
  await sharedParseHost().close();
  const inThread = summary(runs.inThread);
  const offThread = summary(runs.offThread);
  return {
    notes: Object.keys(files).length,
    rounds,
    inThread,
    offThread,
    /** after / before: below 1 where the note-parsing thread shortened the thread's longest stall. */
    stallRatio: {
      parseCpuMs: ratio(sum(offThread.parseCpuMs), sum(inThread.parseCpuMs)),
      maxStallMs: ratio(offThread.maxStallMs, inThread.maxStallMs),
      maxStallCpuMs: ratio(offThread.maxStallCpuMs, inThread.maxStallCpuMs),
      duringParseMaxStallMs: ratio(offThread.duringParse.maxStallMs, inThread.duringParse.maxStallMs),
      duringParseMaxStallCpuMs: ratio(
        offThread.duringParse.maxStallCpuMs,
        inThread.duringParse.maxStallCpuMs,
      ),
      duringParseStalledMs: ratio(offThread.duringParse.stalledMs, inThread.duringParse.stalledMs),
    },
  };
}

interface Run {
  importMs: number;
  /** This thread's CPU time while parse calls were in flight (Linux; 0 elsewhere). */
  parseCpuMs: number;
  stalls: LoopStall[];
  parseCalls: Array<[number, number]>;
}

async function importOnce(root: string, indexDir: string, parse: NoteParser): Promise<Run> {
  const index = await NoteIndex.open(indexDir, { dimensions: 512 });
  const encoder = new FeatureHashingEncoder({ dimensions: 512 });
  const parseCalls: Array<[number, number]> = [];
  // A timer turn before and after each parse closes the stall of the work before it and ends the
  // parse's own stall before the note is chunked, so a stall is the parse's only if it overlaps it.
  let parseCpuNs = 0;
  const timedParse: NoteParser = async (...args) => {
    await timerTurn();
    const started = performance.now();
    const cpuBefore = schedStat()?.cpuNs ?? 0;
    try {
      return await parse(...args);
    } finally {
      parseCpuNs += (schedStat()?.cpuNs ?? 0) - cpuBefore;
      parseCalls.push([started, performance.now()]);
      await timerTurn();
    }
  };
  const context = {
    signal: new AbortController().signal,
    report: () => undefined,
    checkpoint: async () => {},
  };
  const recording = recordLoopStalls();
  const started = performance.now();
  let stalls: LoopStall[];
  try {
    await syncFolder(
      { id: 'bench', root, addedMs: 0 },
      { index, encoder: async () => encoder, parse: timedParse },
      { ignore: [], maxFileBytes: 10 * 1024 * 1024, maxIndexedChars: 1_000_000 },
      context,
    );
  } finally {
    stalls = recording.stop();
    await index.close();
    await rm(indexDir, { recursive: true, force: true });
  }
  return { importMs: performance.now() - started, stalls, parseCalls, parseCpuMs: parseCpuNs / 1e6 };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function timerTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function summary(runs: Run[]) {
  const stalls = runs.flatMap((run) => run.stalls);
  const duringParse = runs.flatMap((run) =>
    run.stalls.filter((stall) =>
      run.parseCalls.some(([from, to]) => stall.startMs < to && stall.endMs > from),
    ),
  );
  return {
    importSeconds: runs.map((run) => round(run.importMs / 1000)),
    /** This thread's CPU time inside parse calls, per import: parsing itself in-thread, messages after. */
    parseCpuMs: runs.map((run) => round(run.parseCpuMs, 1)!),
    ...stallFigures(stalls),
    duringParse: stallFigures(duringParse),
  };
}

function stallFigures(stalls: LoopStall[]) {
  return {
    /** Stalls over 20 ms. */
    stalls: stalls.length,
    maxStallMs: round(Math.max(0, ...stalls.map((stall) => stall.ms)), 1)!,
    maxStallCpuMs: round(Math.max(0, ...stalls.map((stall) => stall.cpuMs ?? stall.ms)), 1)!,
    /** Wall time the loop stood still in such stalls, all together. */
    stalledMs: round(
      stalls.reduce((sum, stall) => sum + stall.ms, 0),
      0,
    )!,
  };
}
