/**
 * Where heavy work runs: a worker thread beside the app's, at lower priority, so that search,
 * status and job listing never wait behind training, compensator fitting or embedding for jobs.
 */
export { OffThreadHost, sharedOffThreadHost, workerEntry } from './host.ts';
export type { OffThreadHostOptions } from './host.ts';
export { RemoteEncoder } from './remoteEncoder.ts';
export { createOffThreadTrainer } from './trainer.ts';
export type { OffThreadTrainerOptions } from './trainer.ts';
export { fitCompensators, fitForwardMap } from './fit.ts';
export type { EncoderSource } from './calls.ts';
export { parseNoteOffThread, sharedParseHost } from './parse.ts';
export type { OffThreadParseOptions } from './parse.ts';
