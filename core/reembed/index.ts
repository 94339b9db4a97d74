export { reindexRows } from './reindexRows.ts';
export type { ReindexOptions, ReindexResult } from './reindexRows.ts';
export { RetrievalCounts } from './retrievalCounts.ts';
