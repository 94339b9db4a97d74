export { LinearEncoder, loadLinearEncoder, LINEAR_WEIGHTS_FILE } from './linearEncoder.ts';
export { LinearTrainer } from './linearTrainer.ts';
export type { LinearTrainerOptions } from './linearTrainer.ts';
export { topicNotes, TOPIC_COUNT, writeMarkdownNotes } from './topicNotes.ts';
export { testJobContext } from './jobContext.ts';
export {
  FIXTURE_ADAPTATION,
  FIXTURE_ADAPTATION_PROMOTING,
  FIXTURE_DIMS,
  linearAppOptions,
  openAdaptWorld,
} from './world.ts';
export type { AdaptWorld, LinearAppOptions } from './world.ts';
