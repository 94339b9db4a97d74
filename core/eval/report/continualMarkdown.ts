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
      `per task on ${report.config.signals ?? 'labelled'} signals, ${report.environment.cpus} CPUs, ${seconds(report.totals.wallMs)} s in all.`,
    ...partialNotice(report),
    '',
    '## Tasks',
    '',
    tasksTable(report.tasks),
    '',
    ...report.settings.flatMap((setting) => settingSection(report, setting)),
    ...appGateSection(report),
    ...backfillSection(report),
    ...differencesSection(report),
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
      'searched in its own (compensated) space and the lists are merged by reciprocal rank (`rrf`), raw cosine (`score`) or cosines calibrated against a background sample of each segment (`calibrated`). ' +
      "`app-dense` / `app-hybrid`: the app's own search (`searchNotes`: version merge, grouping by note, hybrid fusion as shipped) over the mixed index; `ft+kd+forward` reads it as the app does now (old rows' stored vectors mapped into the newest space by direct forward maps and scored there), the other methods as the app did before (queries mapped into each segment, merged by rank).",
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

/** What the app's gate decided about each stage's candidate. */
function appGateSection(report: ContinualReport): string[] {
  if (!report.stages.some((stage) => stage.app)) return [];
  const mrr = (m: Record<string, number>, before: string, after: string) =>
    m[before] === undefined ? '' : `${num(m[before])} → ${num(m[after])}`;
  return [
    "## The app's gate (held-out training queries through the app's own search)",
    '',
    markdownTable(
      ['stage', 'adopted', 'queries', 'hybrid MRR@10', 'dense MRR@10', 'anchor rows kept', 'reasons'],
      report.stages.map((stage) => [
        String(stage.stage),
        stage.app?.passed ? 'yes' : 'no',
        String(stage.app?.metrics.gateQueries ?? ''),
        mrr(stage.app?.metrics ?? {}, 'mrrBefore', 'mrrAfter'),
        mrr(stage.app?.metrics ?? {}, 'denseMrrBefore', 'denseMrrAfter'),
        String(stage.app?.metrics.anchorRowsKept ?? ''),
        (stage.app?.reasons ?? []).join('; '),
      ]),
    ),
    '',
  ];
}

/** The default method part-way through a backfill, at every stage, in the app settings. */
function backfillSection(report: ContinualReport): string[] {
  if (!report.stages.some((stage) => stage.backfill)) return [];
  const settings = Object.keys(report.stages[0]?.backfill ?? {}) as Array<
    keyof ContinualReport['stages'][number]['backfill']
  >;
  return [
    `## Backfill: average ${METRIC} of the app (gated, forward maps) with a share of the older rows re-embedded`,
    '',
    markdownTable(
      [
        'setting',
        'stage',
        ...(report.stages[0]?.backfill[settings[0]!] ?? []).map((p) => `${p.fraction * 100}%`),
      ],
      settings.flatMap((setting) =>
        report.stages.map((stage) => [
          setting,
          String(stage.stage),
          ...(stage.backfill?.[setting] ?? []).map((point) => num(meanOf(point.results))),
        ]),
      ),
    ),
    '',
    'Rows re-embedded whole notes at a time in index order (the app backfills most-retrieved notes first; a ' +
      "benchmark has no retrieval counts). 0% is the app's own result; at 100% every row is in its current version.",
    '',
  ];
}

/** Paired differences with their intervals: the figures each decision rests on. */
function differencesSection(report: ContinualReport): string[] {
  if (!report.differences?.length) return [];
  return [
    `## Paired differences of average ${METRIC} (95% interval, bootstrap over test queries by task)`,
    '',
    markdownTable(
      ['setting', 'stage', 'difference', 'mean', '95% interval'],
      report.differences.map((d) => [
        d.setting,
        String(d.stage),
        `${d.method} − ${d.baseline}`,
        signed(d.mean),
        `[${signed(d.low)}, ${signed(d.high)}]`,
      ]),
    ),
    '',
  ];
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(4)}`;
}

function meanOf(results: Record<string, Record<string, number>>): number {
  const values = Object.values(results).map((metrics) => metrics[METRIC] ?? 0);
  return values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
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
        'train app',
        'embed fit texts',
        ...report.config.kinds.map((k) => `fit ${k}`),
        'forward maps (embed anchors + fit)',
        'reindex all seen',
        'reindexed chunks',
        'evaluate every method',
      ],
      report.stages.map((stage) => [
        String(stage.stage),
        ...FAMILIES.map((family) => indexingCost(stage.costs.indexing[family])),
        cost(stage.costs.training.ft),
        cost(stage.costs.training['ft+kd']),
        cost(stage.costs.training.app),
        cost(stage.costs.fitEmbedding),
        ...report.config.kinds.map((kind) => cost(stage.costs.fitting[kind])),
        stage.costs.forwardFit
          ? `${cost(stage.costs.forwardFit)} (${stage.costs.forwardFit.texts} anchors, fit ${seconds(stage.costs.forwardFit.fitMs)})`
          : '',
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
