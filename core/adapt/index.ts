// What adaptation reads (pairsFromFeedback, planPairs); stored by core/store's FeedbackLog.
export type { FeedbackEvent } from '../store/index.ts';
export { COMPENSATOR_FILE, DEFAULT_TRAIN, runAdaptation } from './adaptJob.ts';
export type { AdaptationDeps, AdaptationOptions, AdaptationOutcome } from './adaptJob.ts';
export { DEFAULT_GATE, runGate } from './gate.ts';
export type { GateCheck, GateOptions, GateVerdict, NoteSearch } from './gate.ts';
export { loadAnchorNotes } from './anchors.ts';
export { fitForwardMaps, forwardSpace, loadForwardMaps, DEFAULT_FORWARD_FIT } from './forwardMaps.ts';
export { planPairs } from './pairs.ts';
export type { PairOptions, PairPlan } from './pairs.ts';
export { readCorpus } from './corpus.ts';
// core/eval imports it from here; it lives with the query-time version space.
export { sampleVersionVectors } from '../versionSearch/index.ts';
export { VersionedEncoders } from './versionedEncoders.ts';
export type { LoadVersionEncoder } from './versionedEncoders.ts';
export { adaptationDue, systemLooksIdle } from './triggers.ts';
export type { AdaptationSettings, TriggerState, TriggerVerdict } from './triggers.ts';
export { reindexRows } from './reindexJob.ts';
export type { ReindexOptions, ReindexResult } from './reindexJob.ts';
export { RetrievalCounts } from './retrievalCounts.ts';
export * as signals from './signals/index.ts';
export type { EncoderTrainer, TrainedCandidate, TrainingPair, TrainOptions, TrainReport } from './types.ts';
export { AdaptationScheduler, NewNotesCounter } from './scheduler.ts';
export type { SchedulerDeps } from './scheduler.ts';
