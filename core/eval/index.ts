export { readBeirCorpus, readBeirDataset, readBeirQueries, readQrelsRows, resolveQrelsFile } from './beir.ts';
export type { QrelsRow } from './beir.ts';
export { splitQueries, unitHash } from './split.ts';
export { mrrAtK, ndcgAtK, recallAtK, topK } from './metrics.ts';
export { DEFAULT_CUTOFFS, evaluateRun, metricNames } from './evaluate.ts';
export {
  MANIFEST_NAME,
  docIdForNote,
  materializeCorpus,
  readMaterializedMap,
  renderNote,
} from './materialize.ts';
export type { MaterializeOptions } from './materialize.ts';
export { NoteNamer } from './noteNames.ts';
export type {
  BeirDataset,
  BeirDoc,
  BeirQuery,
  EvaluateOptions,
  Evaluation,
  MaterializedCorpus,
  MetricCutoffs,
  Qrels,
  QrelsIssues,
  QuerySplit,
  ReadBeirOptions,
  Run,
  SplitOptions,
  UnknownIdPolicy,
} from './types.ts';
