export { writeContinualReport, stableJson } from './writeReport.ts';
export { continualMarkdown } from './continualMarkdown.ts';
export { continualPlots } from './continualPlots.ts';
export type { Plot } from './continualPlots.ts';
export { barChart, escapeXml, lineChart } from './svg.ts';
export type { BarChartSpec, LineChartSpec, Series } from './svg.ts';
export { markdownTable } from './tables.ts';
export { progressBar } from './progress.ts';
export type { ProgressStream } from './progress.ts';
export {
  judgedQueries,
  MAX_QUERY_CHARS,
  queriesAreDocs,
  retrievalMarkdown,
  searchRun,
} from './retrievalRun.ts';
export type { SearchApi } from './retrievalRun.ts';
export { continualOptions, runContinualReport } from './continualRun.ts';
export type { ContinualRunArgs } from './continualRun.ts';
