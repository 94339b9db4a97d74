import { APP_SETTINGS, APP_METHOD, SETTINGS } from './types.ts';
import type { Metrics, MethodSummary, SettingName, StageResult } from './types.ts';

const MAIN_METRIC = 'nDCG@10';
const UNCOMPENSATED = 'ft+kd';
const REFERENCE = 'reindex';

/** Averages, forgetting and recovery ratio of every method in every setting. */
export function summarise(
  stages: readonly StageResult[],
  methods: readonly string[],
): Record<SettingName, Record<string, MethodSummary>> {
  const out = {} as Record<SettingName, Record<string, MethodSummary>>;
  for (const setting of SETTINGS) {
    const perMethod: Record<string, MethodSummary> = {};
    for (const method of methods) perMethod[method] = summariseMethod(stages, setting, method);
    for (const method of methods) perMethod[method]!.recoveryRatio = recoveryRatio(perMethod, method);
    const curve = (APP_SETTINGS as readonly string[]).includes(setting)
      ? stages.at(-1)?.backfill?.[setting as (typeof APP_SETTINGS)[number]]
      : undefined;
    if (curve && perMethod[APP_METHOD])
      perMethod[APP_METHOD].backfill = curve.map((point) => ({
        fraction: point.fraction,
        average: meanMetrics(Object.values(point.results))[MAIN_METRIC] ?? 0,
      }));
    out[setting] = perMethod;
  }
  return out;
}

function summariseMethod(
  stages: readonly StageResult[],
  setting: SettingName,
  method: string,
): MethodSummary {
  const byStage = stages.map((stage) => stage.results[setting][method] ?? {});
  const final = byStage.at(-1) ?? {};
  const forgetting: Record<string, number> = {};
  for (const [task, metrics] of Object.entries(final)) {
    const seen = byStage
      .map((tasks) => tasks[task]?.[MAIN_METRIC])
      .filter((v): v is number => v !== undefined);
    forgetting[task] = Math.max(...seen) - (metrics[MAIN_METRIC] ?? 0);
  }
  return {
    averageByStage: byStage.map((tasks) => meanMetrics(Object.values(tasks))[MAIN_METRIC] ?? 0),
    finalAverage: meanMetrics(Object.values(final)),
    forgetting,
    meanForgetting: mean(Object.values(forgetting)),
    recoveryRatio: null,
  };
}

/** (compensated - uncompensated) / (reindex - uncompensated), on the final average nDCG@10. */
function recoveryRatio(summaries: Record<string, MethodSummary>, method: string): number | null {
  if (!method.startsWith(`${UNCOMPENSATED}+`)) return null;
  const value = (name: string) => summaries[name]?.finalAverage[MAIN_METRIC];
  const [self, base, reference] = [value(method), value(UNCOMPENSATED), value(REFERENCE)];
  if (self === undefined || base === undefined || reference === undefined) return null;
  const gap = reference - base;
  return Math.abs(gap) < 1e-9 ? null : (self - base) / gap;
}

/** Mean of each metric over a list of per-task metrics. */
export function meanMetrics(list: readonly Metrics[]): Metrics {
  const out: Metrics = {};
  const names = [...new Set(list.flatMap((metrics) => Object.keys(metrics)))];
  for (const name of names) out[name] = mean(list.map((metrics) => metrics[name] ?? 0));
  return out;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}
