import { describe, expect, it } from 'vitest';
import { evaluateRun } from '../../core/eval/index.ts';
import { buildIndexReport, buildRetrievalReport, type IndexPhaseMeasure } from './report.ts';

const qrels = new Map([
  ['q1', new Map([['d1', 1]])],
  ['q2', new Map([['d2', 1]])],
]);

function retrievalInput() {
  const run = new Map([
    ['q1', ['d1']],
    ['q2', ['x', 'x2', 'd2']],
  ]);
  return {
    dataset: 'tiny',
    split: 'test',
    excludeSelf: false,
    queries: 2,
    truncatedQueries: 0,
    issues: { unknownQueryRows: 0, unknownDocRows: 0, duplicateRows: 0 },
    corpus: { docs: 3, notesWritten: 3, notesUnchanged: 0 },
    index: { notes: 3, chunks: 4, skipped: 0, indexBytes: 1234 },
    modes: [
      {
        mode: 'hybrid' as const,
        evaluation: evaluateRun(run, qrels),
        latenciesMs: [10, 30],
        unmappedHits: 1,
        elapsedMs: 41,
      },
      {
        mode: 'text' as const,
        evaluation: evaluateRun(new Map(), qrels),
        latenciesMs: [1, 2],
        unmappedHits: 0,
        elapsedMs: 3,
      },
    ],
    timings: { materializeMs: 5.12345, importMs: 100 },
  };
}

describe('buildRetrievalReport', () => {
  it('leads with the stable keys and reports each mode in the order run', () => {
    const report = buildRetrievalReport(retrievalInput());
    expect(Object.keys(report).slice(0, 5)).toEqual(['dataset', 'split', 'queries', 'modes', 'timings']);
    expect(Object.keys(report.modes)).toEqual(['hybrid', 'text']);
    expect(Object.keys(report.modes.hybrid ?? {})).toEqual([
      'nDCG@10',
      'Recall@10',
      'Recall@100',
      'MRR@10',
      'queriesEvaluated',
      'missingFromRun',
      'unmappedHits',
    ]);
  });

  it('rounds metrics to 4 decimals and summarises search timings per mode', () => {
    const report = buildRetrievalReport(retrievalInput());
    // q1 MRR 1, q2 MRR 1/3: mean 2/3.
    expect(report.modes.hybrid?.['MRR@10']).toBe(0.6667);
    expect(report.modes.text?.['nDCG@10']).toBe(0);
    expect(report.modes.text?.missingFromRun).toBe(2);
    expect(report.timings).toEqual({
      materializeMs: 5.123,
      importMs: 100,
      search: {
        hybrid: { totalMs: 41, samples: 2, p50Ms: 10, p95Ms: 30, meanMs: 20 },
        text: { totalMs: 3, samples: 2, p50Ms: 1, p95Ms: 2, meanMs: 1.5 },
      },
    });
    expect(JSON.parse(JSON.stringify(report)).index).toEqual({
      notes: 3,
      chunks: 4,
      skipped: 0,
      indexBytes: 1234,
    });
  });
});

const corpusPhase: IndexPhaseMeasure = {
  notes: 1000,
  chunks: 2000,
  importMs: 4000,
  rescanMs: 50,
  latenciesMs: [10, 20, 30, 40],
  indexBytes: 1_000_000,
  totalChunks: 2000,
};

describe('buildIndexReport', () => {
  it('reports rates and size per phase and marks a skipped synthetic phase without ratios', () => {
    const report = buildIndexReport({
      dataset: 'tiny',
      corpus: corpusPhase,
      synthetic: { skipped: 'not asked' },
    });
    expect(report.corpus).toMatchObject({ notesPerSec: 250, chunksPerSec: 500, indexBytesPerChunk: 500 });
    expect(report.corpus.query).toEqual({ mode: 'hybrid', samples: 4, p50Ms: 20, p95Ms: 40, meanMs: 25 });
    expect(report.synthetic).toEqual({ skipped: 'not asked' });
    expect('ratios' in report).toBe(false);
  });

  it('gives synthetic/corpus ratios when both phases ran', () => {
    const synthetic = {
      ...corpusPhase,
      notes: 5000,
      chunks: 100_000,
      importMs: 100_000,
      latenciesMs: [20, 40, 60, 80],
    };
    const report = buildIndexReport({
      dataset: 'tiny',
      corpus: corpusPhase,
      synthetic: { ...synthetic, totalChunks: 102_000, indexBytes: 40_000_000 },
      syntheticSetup: { requestedChunks: 100_000, sectionsPerNote: 20, materializeMs: 1 },
    });
    expect(report.synthetic).toMatchObject({ requestedChunks: 100_000, chunksPerSec: 1000, notesPerSec: 50 });
    expect(report.ratios).toMatchObject({
      chunksPerSec: 2,
      notesPerSec: 0.2,
      queryP50: 2,
      queryP95: 2,
      totalChunks: 51,
    });
  });

  it('keeps an index size the app did not report as null', () => {
    const report = buildIndexReport({
      dataset: 'tiny',
      corpus: { ...corpusPhase, indexBytes: undefined as unknown as number },
      synthetic: { skipped: 'x' },
    });
    expect(JSON.parse(JSON.stringify(report)).corpus.indexBytes).toBeNull();
  });
});
