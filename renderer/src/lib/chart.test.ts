import { describe, expect, it } from 'vitest';
import type { VersionInfo } from '../contract.ts';
import { chartMetric, chartPoints, metricLabel } from './chart.ts';

const version = (
  v: string,
  createdMs: number,
  metrics?: Record<string, number>,
  parent?: string,
): VersionInfo => ({
  version: v,
  createdMs,
  current: false,
  rows: 1,
  ...(metrics ? { metrics } : {}),
  ...(parent ? { parent } : {}),
});

describe('chartMetric', () => {
  it('prefers a retrieval metric, else the most reported key', () => {
    expect(chartMetric([version('v0', 1, { loss: 1, 'ndcg@10': 0.4 })])).toBe('ndcg@10');
    expect(chartMetric([version('v0', 1, { a: 1 }), version('v1', 2, { b: 1, a: 2 })])).toBe('a');
    expect(chartMetric([version('v0', 1)])).toBeUndefined();
  });
});

describe('chartPoints', () => {
  const box = { width: 100, height: 50, pad: 10 };

  it('orders versions oldest first and maps the best value to the top', () => {
    const points = chartPoints(
      [version('v1', 2, { m: 0.5 }), version('v0', 1, { m: 0.3 }), version('v2', 3)],
      'm',
      box,
    );
    expect(points.map((p) => p.version)).toEqual(['v0', 'v1']);
    expect(points[0]).toMatchObject({ x: 10, y: 40 });
    expect(points[1]).toMatchObject({ x: 90, y: 10 });
  });

  it('centres a single point', () => {
    expect(chartPoints([version('v0', 1, { m: 1 })], 'm', box)).toEqual([
      { version: 'v0', value: 1, x: 50, y: 40 },
    ]);
  });
});

describe('the gate metric', () => {
  it("is charted first, with the pretrained version taken from its child's before figure", () => {
    const versions = [
      version('v0', 1),
      version('v1', 2, { mrrBefore: 0.8, mrrAfter: 0.85, gainStdError: 0.01, denseMrrAfter: 0.7 }, 'v0'),
    ];
    expect(chartMetric(versions)).toBe('mrrAfter');
    const points = chartPoints(versions, 'mrrAfter', { width: 100, height: 50, pad: 10 });
    expect(points.map((p) => [p.version, p.value])).toEqual([
      ['v0', 0.8],
      ['v1', 0.85],
    ]);
    expect(metricLabel('mrrAfter')).toBe('held-out MRR');
  });

  it('is charted for versions published by earlier builds under its old name', () => {
    const versions = [
      version('v0', 1),
      version('v1', 2, { newNotesMrrBefore: 0.3, newNotesMrrAfter: 0.4 }, 'v0'),
      version('v2', 3, { newNotesMrrBefore: 0.4, newNotesMrrAfter: 0.5 }, 'v1'),
    ];
    expect(chartMetric(versions)).toBe('newNotesMrrAfter');
    const points = chartPoints(versions, 'newNotesMrrAfter', { width: 100, height: 50, pad: 10 });
    expect(points.map((p) => [p.version, p.value])).toEqual([
      ['v0', 0.3],
      ['v1', 0.4],
      ['v2', 0.5],
    ]);
    expect(metricLabel('newNotesMrrAfter')).toBe('new notes MRR');
  });
});
