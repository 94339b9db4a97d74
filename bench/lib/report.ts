import os from 'node:os';
import type { Evaluation, QrelsIssues } from '../../core/eval/index.ts';
import type { StatusInfo } from '../../core/service/contract.ts';
import type { SearchMode } from './args.ts';
import { latencySummary, perSecond, ratio, round } from './stats.ts';

export interface ModeMeasure {
  mode: SearchMode;
  evaluation: Evaluation;
  latenciesMs: number[];
  unmappedHits: number;
  elapsedMs: number;
}

export interface RetrievalReportInput {
  dataset: string;
  split: string;
  excludeSelf: boolean;
  /** Judged queries that were run. */
  queries: number;
  /** Queries cut to the API's 2000-character limit. */
  truncatedQueries: number;
  issues: QrelsIssues;
  corpus: { docs: number; notesWritten: number; notesUnchanged: number };
  index: { notes: number; chunks: number; skipped: number; indexBytes: number };
  modes: ModeMeasure[];
  timings: { materializeMs: number; importMs: number };
  encoder?: StatusInfo['encoder'];
}

/** The JSON of bench:retrieval; the first keys (dataset, split, queries, modes, timings) are stable. */
export function buildRetrievalReport(input: RetrievalReportInput) {
  const modes: Record<string, Record<string, number>> = {};
  const search: Record<string, Record<string, number | undefined>> = {};
  for (const measure of input.modes) {
    modes[measure.mode] = {
      ...roundMetrics(measure.evaluation.metrics),
      queriesEvaluated: measure.evaluation.queries,
      missingFromRun: measure.evaluation.missingFromRun,
      unmappedHits: measure.unmappedHits,
    };
    search[measure.mode] = { totalMs: round(measure.elapsedMs), ...latencySummary(measure.latenciesMs) };
  }
  return {
    dataset: input.dataset,
    split: input.split,
    queries: input.queries,
    modes,
    timings: {
      materializeMs: round(input.timings.materializeMs),
      importMs: round(input.timings.importMs),
      search,
    },
    excludeSelf: input.excludeSelf,
    truncatedQueries: input.truncatedQueries,
    qrelsIssues: input.issues,
    corpus: input.corpus,
    index: { ...input.index, indexBytes: finiteOrNull(input.index.indexBytes) },
    environment: environment(input.encoder),
  };
}

function roundMetrics(metrics: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).map(([name, value]) => [name, round(value, 4) ?? 0]));
}

/** What one import-and-query phase of bench:index measured. */
export interface IndexPhaseMeasure {
  notes: number;
  chunks: number;
  importMs: number;
  rescanMs: number;
  /** Hybrid query latencies at the index size reached after this phase. */
  latenciesMs: number[];
  /** From api.status after this phase (the whole index, all phases so far). */
  indexBytes: number;
  totalChunks: number;
}

export interface IndexReportInput {
  dataset: string;
  corpus: IndexPhaseMeasure;
  synthetic: IndexPhaseMeasure | { skipped: string };
  syntheticSetup?: Record<string, number | undefined>;
  encoder?: StatusInfo['encoder'];
}

/** The JSON of bench:index: figures as measured, plus synthetic/corpus ratios when both phases ran. */
export function buildIndexReport(input: IndexReportInput) {
  const corpus = phase(input.corpus);
  const synthetic = 'skipped' in input.synthetic ? input.synthetic : phase(input.synthetic);
  const ratios =
    'skipped' in synthetic
      ? undefined
      : {
          notesPerSec: ratio(synthetic.notesPerSec, corpus.notesPerSec),
          chunksPerSec: ratio(synthetic.chunksPerSec, corpus.chunksPerSec),
          queryP50: ratio(synthetic.query.p50Ms, corpus.query.p50Ms),
          queryP95: ratio(synthetic.query.p95Ms, corpus.query.p95Ms),
          totalChunks: ratio(synthetic.totalChunks, corpus.totalChunks),
          indexBytes: ratio(synthetic.indexBytes, corpus.indexBytes),
        };
  return {
    dataset: input.dataset,
    corpus,
    synthetic:
      input.syntheticSetup && !('skipped' in synthetic)
        ? { ...input.syntheticSetup, ...synthetic }
        : synthetic,
    ...(ratios ? { ratios: { note: 'synthetic phase / corpus phase', ...ratios } } : {}),
    environment: environment(input.encoder),
  };
}

function phase(measure: IndexPhaseMeasure) {
  return {
    notes: measure.notes,
    chunks: measure.chunks,
    importMs: round(measure.importMs),
    notesPerSec: perSecond(measure.notes, measure.importMs),
    chunksPerSec: perSecond(measure.chunks, measure.importMs),
    rescanMs: round(measure.rescanMs),
    query: { mode: 'hybrid', ...latencySummary(measure.latenciesMs) },
    totalChunks: measure.totalChunks,
    indexBytes: finiteOrNull(measure.indexBytes),
    indexBytesPerChunk: ratio(measure.indexBytes, measure.totalChunks),
  };
}

/** Keeps a figure the app did not report as an explicit null, so the report's keys stay the same. */
function finiteOrNull(value: number | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function environment(encoder?: StatusInfo['encoder']) {
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: os.availableParallelism(),
    ...(encoder ? { encoder } : {}),
  };
}
