import type { ContinualReport, SettingName } from '../continual/index.ts';
import { barChart, lineChart } from './svg.ts';

/** A rendered plot: a file name (no folders) and its SVG text. */
export interface Plot {
  file: string;
  title: string;
  svg: string;
}

const METRIC = 'nDCG@10';

/**
 * The plots of a continual run: nDCG@10 of every method on each task across the stages (per index
 * setting), the average over seen tasks, and the cost of re-embedding against compensation.
 */
export function continualPlots(report: ContinualReport): Plot[] {
  const plots: Plot[] = [];
  for (const setting of report.settings) {
    plots.push(averagePlot(report, setting));
    for (const task of report.tasks) plots.push(taskPlot(report, setting, task.key));
  }
  plots.push(costPlot(report));
  return plots;
}

function stageLabels(report: ContinualReport): string[] {
  return report.stages.map((stage) => `after ${stage.stage}: ${shortTask(stage.task)}`);
}

function taskPlot(report: ContinualReport, setting: SettingName, task: string): Plot {
  const title = `${METRIC} on ${task} (${setting})`;
  const series = report.methods.map((method) => ({
    name: method,
    values: report.stages.map((stage) => stage.results[setting][method]?.[task]?.[METRIC] ?? null),
  }));
  return {
    file: `quality-${setting}-${safeName(task)}.svg`,
    title,
    svg: lineChart({ title, xLabels: stageLabels(report), yLabel: METRIC, series }),
  };
}

function averagePlot(report: ContinualReport, setting: SettingName): Plot {
  const title = `Average ${METRIC} over seen tasks (${setting})`;
  const series = report.methods.map((method) => ({
    name: method,
    values: report.summary[setting][method]?.averageByStage ?? [],
  }));
  return {
    file: `quality-${setting}-average.svg`,
    title,
    svg: lineChart({ title, xLabels: stageLabels(report), yLabel: METRIC, series }),
  };
}

function costPlot(report: ContinualReport): Plot {
  const title = 'Re-embedding vs compensation, wall-clock seconds per stage';
  const seconds = (ms: number) => Math.round(ms) / 1000;
  const series = [
    { name: 'reindex (re-embed all)', values: report.stages.map((s) => seconds(s.costs.reindex.wallMs)) },
    {
      name: 'compensators (all kinds)',
      values: report.stages.map((s) =>
        seconds(
          s.costs.fitEmbedding.wallMs + Object.values(s.costs.fitting).reduce((sum, c) => sum + c.wallMs, 0),
        ),
      ),
    },
    ...report.config.kinds.map((kind) => ({
      name: `fit ${kind}`,
      values: report.stages.map((s) => seconds(s.costs.fitting[kind]?.wallMs ?? 0)),
    })),
    {
      name: 'training ft+kd',
      values: report.stages.map((s) => seconds(s.costs.training['ft+kd']?.wallMs ?? 0)),
    },
  ];
  return {
    file: 'cost.svg',
    title,
    svg: barChart({
      title,
      categories: report.stages.map((s) => `stage ${s.stage}`),
      yLabel: 'seconds',
      series,
    }),
  };
}

function safeName(key: string): string {
  return key.replace(/[^\w.-]+/g, '_');
}

function shortTask(key: string): string {
  return key.replace(/^t\d+-/, '');
}
