import type { VersionInfo } from '../contract.ts';

/** One plotted point: the version, its value, and its position in a `width` x `height` box. */
export interface ChartPoint {
  version: string;
  value: number;
  x: number;
  y: number;
}

// The gate's held-out MRR (`mrrAfter`; `newNotesMrrAfter` in versions of earlier builds) first.
const PREFERRED = ['mrrAfter', 'newNotesMrrAfter', 'ndcg@10', 'nDCG@10', 'recall@10', 'mrr@10'];

/**
 * A metric measured on a version before it replaced its parent: the parent's value is the child's
 * "before" figure, so the chart can start at the pretrained version, which has no gate of its own.
 */
const BEFORE_OF: Record<string, string> = {
  mrrAfter: 'mrrBefore',
  newNotesMrrAfter: 'newNotesMrrBefore',
};

/** Readable names of the gate's metrics; other keys are shown as they are. */
const LABELS: Record<string, string> = {
  mrrBefore: 'held-out MRR, before',
  mrrAfter: 'held-out MRR',
  gainStdError: 'held-out MRR gain, standard error',
  denseMrrBefore: 'dense MRR, before',
  denseMrrAfter: 'dense MRR',
  oldNotesMrrAfter: 'old notes MRR',
  newNotesMrrBefore: 'new notes MRR, before',
  newNotesMrrAfter: 'new notes MRR',
  oldNotesMrrBefore: 'old notes MRR, before',
  oldNotesMrrCompensated: 'old notes MRR, compensated',
};

export function metricLabel(key: string): string {
  return LABELS[key] ?? key;
}

/** The metric to chart: a preferred retrieval metric if any version has one, else the most common key. */
export function chartMetric(versions: readonly VersionInfo[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of versions)
    for (const key of Object.keys(v.metrics ?? {})) counts.set(key, (counts.get(key) ?? 0) + 1);
  const preferred = PREFERRED.find((key) => counts.has(key));
  if (preferred) return preferred;
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** Points for the versions (oldest first) that report `metric`, scaled into the box with padding. */
export function chartPoints(
  versions: readonly VersionInfo[],
  metric: string,
  box: { width: number; height: number; pad: number },
): ChartPoint[] {
  const before = BEFORE_OF[metric];
  const valueOf = (v: VersionInfo) =>
    v.metrics?.[metric] ??
    (before ? versions.find((child) => child.parent === v.version)?.metrics?.[before] : undefined);
  const rows = [...versions]
    .sort((a, b) => a.createdMs - b.createdMs)
    .flatMap((v) => {
      const value = valueOf(v);
      return value === undefined ? [] : [{ version: v.version, value }];
    });
  if (!rows.length) return [];
  const values = rows.map((r) => r.value);
  const min = Math.min(...values);
  const span = Math.max(...values) - min || 1;
  const step = rows.length > 1 ? (box.width - 2 * box.pad) / (rows.length - 1) : 0;
  return rows.map((r, i) => ({
    ...r,
    x: box.pad + (rows.length > 1 ? i * step : (box.width - 2 * box.pad) / 2),
    y: box.height - box.pad - ((r.value - min) / span) * (box.height - 2 * box.pad),
  }));
}
