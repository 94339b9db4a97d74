export { cleanPairs, cleanPairsInTurns, dedupePairs, isBoilerplate, isUsablePair } from './quality.ts';
export {
  cropPairs,
  DEFAULT_SELF_SUPERVISED,
  headingPairs,
  sectionBody,
  selfSupervisedPairs,
  sentencePairs,
  sentences,
  titlePairs,
} from './selfSupervised.ts';
export type { SelfSupervisedOptions } from './selfSupervised.ts';
export { feedbackNoteKey, pairsFromFeedback } from './feedbackPairs.ts';
export type { PassageOf } from './feedbackPairs.ts';
export { holdOut } from './holdout.ts';
export { mineHardNegatives } from './hardNegatives.ts';
export { DEFAULT_QUALITY } from './types.ts';
export type { NoteDocument, NoteSection, QualityBounds } from './types.ts';
