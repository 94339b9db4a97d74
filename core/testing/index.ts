export { FeatureHashingEncoder, wordTokens } from './featureHashingEncoder.ts';
export type { FeatureHashingOptions } from './featureHashingEncoder.ts';
export { makeNoteWrite, makeNoteWrites } from './noteFixtures.ts';
export type { NoteSpec } from './noteFixtures.ts';
export { makeTempDir } from './tempDir.ts';
export { DISTINCT_TOPICS } from './topics.ts';
export { writeImportRecorder } from './importRecorder.ts';
