import type { ContinualReport, Cost, SettingName, StageCosts, TaskInfo } from '../continual/index.ts';
import type { Plot } from './continualPlots.ts';
import { markdownTable, num, seconds } from './tables.ts';

const METRIC = 'nDCG@10';

function partialNotice(report: ContinualReport): string[] {
  const done = report.stages.length;
  const planned = report.tasks.length;
  return done < planned
    ? ['', `**Partial report: ${done} of ${planned} tasks done; the run continues.**`]
    : [];
}

/** The human-readable report of a continual run: configuration, quality tables, costs and plots. */
export function continualMarkdown(report: ContinualReport, plots: readonly Plot[]): string {
  return [
    `# Continual retrieval: ${report.config.datasets.join(' → ')}`,
    '',
    `Mode ${report.config.mode}, seed ${report.config.seed}, encoder ${report.encoder.backboneId} ` +
      `(${report.encoder.dimensions}-d), training ${report.config.train.steps} steps of batch ${report.config.train.batchSize} ` +
      `per task, ${report.environment.cpus} CPUs, ${seconds(report.totals.wallMs)} s in all.`,
    ...partialNotice(report),
    '',
    '## Tasks',
    '',
    tasksTable(report.tasks),
    '',
    ...report.settings.flatMap((setting) => settingSection(report, setting)),
    '## Costs',
    '',
    costsTable(report),
    '',
    indexBytesTable(report),
    '',
    '## Plots',
    '',
    ...plots.map((plot) => `- [${plot.title}](plots/${plot.file})`),
    '',
    'Plots are SVG only (no PNG renderer is installed).',
    '',
    '## How to read this',
    '',
    "- `per-task`: a query searches only its own task's rows, in the version that embedded them. " +
      '`mixed-*`: all tasks share one index and a query does not know its task: every version segment is ' +
      'searched in its own (compensated) space and the lists are merged by reciprocal rank (`rrf`), raw cosine (`score`) or cosines calibrated against a background sample of each segment (`calibrated`). The app merges by rank.',
    '- `ft`: fine-tuning without distillation; `ft+kd`: with distillation (lq = ld = 1); `ft+kd+<kind>`: the same ' +
      'checkpoints with queries mapped into each older segment by composed compensators; `reindex`: every seen ' +
      'corpus re-embedded with the newest ft+kd version (the costly reference).',
    '- Forgetting: best nDCG@10 of a task over the stages minus its final nDCG@10. Recovery: ' +
      '(compensated − ft+kd) / (reindex − ft+kd) on the final average nDCG@10.',
    '',
  ].join('\n');
}

function tasksTable(tasks: readonly TaskInfo[]): string {
  return markdownTable(
    [
      'task',
      'docs',
      'chunks',
      'train queries',
      'test queries',
      'training queries from',
      'pairs (qrels + self-sup.)',
      'judgements dropped by sampling',
    ],
    tasks.map((task) => [
      task.key,
      String(task.docs),
      String(task.chunks),
      String(task.trainQueries),
      String(task.testQueries),
      task.trainSource.kind === 'split'
        ? `${task.trainSource.split} split`
        : `hash split of ${task.trainSource.split} (${task.trainSource.testRatio} test, seed ${task.trainSource.seed})`,
      `${task.pairs.qrels} + ${task.pairs.selfSupervised}`,
      String(task.droppedJudgements),
    ]),
  );
}

function settingSection(report: ContinualReport, setting: SettingName): string[] {
  const stages = report.stages.map((stage) => `avg after ${stage.stage}`);
  const summary = markdownTable(
    ['method', ...stages, 'final R@10', 'final R@100', 'final MRR@10', 'forgetting', 'recovery'],
    report.methods.map((method) => {
      const s = report.summary[setting][method]!;
      return [
        method,
        ...s.averageByStage.map((v) => num(v)),
        num(s.finalAverage['Recall@10']),
        num(s.finalAverage['Recall@100']),
        num(s.finalAverage['MRR@10']),
        num(s.meanForgetting),
        s.recoveryRatio === null ? '' : num(s.recoveryRatio, 2),
      ];
    }),
  );
  const byStage = report.stages.map((stage) =>
    markdownTable(
      ['method', ...Object.keys(stage.results[setting][report.methods[0]!] ?? {})],
      report.methods.map((method) => [
        method,
        ...Object.values(stage.results[setting][method] ?? {}).map((metrics) => num(metrics[METRIC])),
      ]),
    ),
  );
  return [
    `## ${setting}: average ${METRIC} over seen tasks`,
    '',
    summary,
    '',
    ...report.stages.flatMap((stage, i) => [
      `### ${setting}: ${METRIC} per task after stage ${stage.stage} (${stage.task})`,
      '',
      byStage[i]!,
      '',
    ]),
  ];
}

function costsTable(report: ContinualReport): string {
  const cost = (c: Cost | undefined) => (c ? `${seconds(c.wallMs)} / ${seconds(c.cpuMs)}` : '');
  return (
    markdownTable(
      [
        'stage',
        ...FAMILIES.map((family) => `index new corpus, ${family}`),
        'train ft',
        'train ft+kd',
        'embed fit texts',
        ...report.config.kinds.map((k) => `fit ${k}`),
        'reindex all seen',
        'reindexed chunks',
        'evaluate every method',
      ],
      report.stages.map((stage) => [
        String(stage.stage),
        ...FAMILIES.map((family) => indexingCost(stage.costs.indexing[family])),
        cost(stage.costs.training.ft),
        cost(stage.costs.training['ft+kd']),
        cost(stage.costs.fitEmbedding),
        ...report.config.kinds.map((kind) => cost(stage.costs.fitting[kind])),
        cost(stage.costs.reindex),
        String(stage.costs.reindex.chunks),
        `${cost(stage.costs.evaluation)} (${stage.costs.evaluation.queries} queries)`,
      ]),
    ) +
    '\n\nTimes are wall-clock / CPU seconds (CPU counts every thread of the process). Indexing marked ' +
    '"cached" reused vectors that the same version had already embedded for another chain. The first ' +
    'use of a version includes loading its model.'
  );
}

const FAMILIES = ['frozen', 'ft', 'ft+kd'];

function indexingCost(entry: StageCosts['indexing'][string] | undefined): string {
  if (!entry) return '';
  const text = `${seconds(entry.wallMs)} / ${seconds(entry.cpuMs)}`;
  return entry.cached === entry.chunks ? `${text} (cached)` : text;
}

function indexBytesTable(report: ContinualReport): string {
  const families = Object.keys(report.stages[0]?.costs.indexBytes ?? {});
  return markdownTable(
    ['stage', ...families.map((family) => `index bytes ${family}`)],
    report.stages.map((stage) => [
      String(stage.stage),
      ...families.map((family) => String(stage.costs.indexBytes[family] ?? '')),
    ]),
  );
}
