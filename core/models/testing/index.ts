/** Test helpers: a tiny real BERT-style model and a local hub server. Never imported by app code. */
export { buildTinyBert, writeTinyBert } from './tinyBert.ts';
export type { TinyBertFiles, TinyBertOptions } from './tinyBert.ts';
export { fixtureEntry, hubFiles } from './fixtureEntry.ts';
export { startModelServer, unreachableBaseUrl } from './modelServer.ts';
export type { Fault, ModelServer } from './modelServer.ts';
