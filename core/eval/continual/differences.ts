import { SeededRandom } from '../../base/index.ts';
import { APP_METHOD, FORWARD_METHOD, type StageResult } from './types.ts';

/** Settings whose per-query results are kept: where the report's decisions are made. */
export const PAIRED_SETTINGS = ['per-task', 'app-dense', 'app-hybrid'] as const;
export type PairedSetting = (typeof PAIRED_SETTINGS)[number];

/** Per-query nDCG@10 in each task's test-query order: setting -> method -> task -> scores. */
export type PerQuery = Record<PairedSetting, Record<string, Record<string, number[]>>>;

/** The comparisons each decision rests on: [method, baseline]. */
export const COMPARISONS: ReadonlyArray<readonly [string, string]> = [
  [APP_METHOD, 'frozen'],
  [APP_METHOD, 'reindex'],
  [FORWARD_METHOD, 'frozen'],
  ['reindex', 'frozen'],
];

/** A paired difference of average nDCG@10 at one stage, with its 95% bootstrap interval. */
export interface PairedDifference {
  setting: PairedSetting;
  stage: number;
  method: string;
  baseline: string;
  /** method - baseline, averaged over tasks as the report's averages are. */
  mean: number;
  low: number;
  high: number;
}

const RESAMPLES = 2000;

/**
 * Every comparison at every stage, with a paired bootstrap stratified by task: each resample draws
 * every task's test queries with replacement, so the interval is that of the task-averaged metric
 * the tables show, and each query is compared with itself.
 */
export function pairedDifferences(stages: readonly StageResult[], seed: number): PairedDifference[] {
  const out: PairedDifference[] = [];
  for (const stage of stages) {
    if (!stage.perQuery) continue;
    for (const setting of PAIRED_SETTINGS)
      for (const [method, baseline] of COMPARISONS) {
        const diffs = taskDifferences(stage.perQuery[setting], method, baseline);
        if (diffs.length === 0) continue;
        const [low, high] = bootstrapInterval(diffs, new SeededRandom(seed + stage.stage));
        out.push({ setting, stage: stage.stage, method, baseline, mean: averageOverTasks(diffs), low, high });
      }
  }
  return out;
}

/** Per task, each query's method score minus its baseline score; empty when either is missing. */
function taskDifferences(
  byMethod: Record<string, Record<string, number[]>>,
  method: string,
  baseline: string,
): number[][] {
  const [a, b] = [byMethod[method], byMethod[baseline]];
  if (!a || !b) return [];
  return Object.keys(a)
    .filter((task) => b[task]?.length === a[task]!.length && a[task]!.length > 0)
    .map((task) => a[task]!.map((score, i) => score - b[task]![i]!));
}

function averageOverTasks(tasks: readonly number[][]): number {
  return mean(tasks.map(mean));
}

function bootstrapInterval(tasks: readonly number[][], random: SeededRandom): [number, number] {
  const means: number[] = [];
  for (let r = 0; r < RESAMPLES; r++)
    means.push(
      mean(
        tasks.map((diffs) => {
          let sum = 0;
          for (let i = 0; i < diffs.length; i++) sum += diffs[random.int(diffs.length)]!;
          return sum / diffs.length;
        }),
      ),
    );
  means.sort((x, y) => x - y);
  return [means[Math.floor(RESAMPLES * 0.025)]!, means[Math.ceil(RESAMPLES * 0.975) - 1]!];
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}
