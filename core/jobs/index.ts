export { JobQueue } from './jobQueue.ts';
export { acquireWriterLock } from './writerLock.ts';
export { duration, waitForLock, withShortLock } from './shortLock.ts';
export type { WaitOptions } from './shortLock.ts';
export type { WriterLock } from './writerLock.ts';
export type { JobContext, JobInfo, JobKind, JobSpec, JobState } from './types.ts';
