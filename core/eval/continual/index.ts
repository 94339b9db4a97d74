export { runContinual, methodNames, UNITS_PER_STAGE } from './runContinual.ts';
export { continualPreset } from './options.ts';
export { loadTask } from './tasks.ts';
export type { Task } from './tasks.ts';
export { chunkCorpus } from './corpus.ts';
export type { ChunkedCorpus, CorpusChunk } from './corpus.ts';
export { SETTINGS } from './types.ts';
export { SIGNAL_SETTINGS } from './pairs.ts';
export type { SignalSetting } from './pairs.ts';
export type {
  ContinualDeps,
  ContinualOptions,
  ContinualReport,
  Cost,
  MethodSummary,
  Metrics,
  SampleOptions,
  SettingName,
  StageCosts,
  StageResult,
  TaskInfo,
  TrainSource,
} from './types.ts';
export { openRealDeps } from './realDeps.ts';
