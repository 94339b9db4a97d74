import fs from 'node:fs/promises';
import path from 'node:path';
import { Index, PhraseQuery } from '@lancedb/lancedb';
import type { Table } from '@lancedb/lancedb';

export const FTS_INDEX = 'fts_text_idx';
const VECTOR_INDEX = 'vector_idx';

async function hasIndex(table: Table, name: string): Promise<boolean> {
  return (await table.listIndices()).some((index) => index.name === name);
}

/**
 * Creates the full-text index once the table has rows; true when it exists. It is built once: rows added later are
 * searched by a flat scan until `foldFtsIfLarge` (or `optimize`) merges them in incrementally.
 */
export async function ensureFtsIndex(chunks: Table): Promise<boolean> {
  if (await hasIndex(chunks, FTS_INDEX)) return true;
  if ((await chunks.countRows()) === 0) return false;
  await createFtsIndex(chunks);
  return true;
}

/**
 * Without word positions: LanceDB 0.31 (lance-encoding 8) cannot optimize a full-text index with
 * positions once it is large (20,000 synthetic chunks of bench/lib/loadBuild.ts: "Max offset ...
 * exceeds length of values" in every `optimize`; 5,000 passed; the same 20,000 without positions
 * build in about a second). Phrase searches ask for chunks with all the words and keep those that
 * hold the phrase in order (see textSearch): the same results, without the index's phrase query.
 */
function createFtsIndex(chunks: Table, replace = false): Promise<void> {
  return chunks.createIndex('fts_text', { config: Index.fts({ withPosition: false }), replace });
}

/**
 * Rebuilds a full-text index built with word positions (an earlier build made them for phrase
 * queries) without them, before it grows too large for LanceDB to optimize; true when it rebuilt
 * one. Run by the writer in the background; searches meanwhile give the same results.
 */
export async function dropFtsPositions(chunks: Table): Promise<boolean> {
  if (!(await hasIndex(chunks, FTS_INDEX))) return false;
  try {
    await chunks.query().fullTextSearch(new PhraseQuery('driftless probe', 'fts_text')).limit(1).toArray();
  } catch (error) {
    if (/position is not found/i.test(error instanceof Error ? error.message : '')) return false;
    throw error;
  }
  await createFtsIndex(chunks, true);
  return true;
}

/** Folds unindexed rows into the existing indexes when enough have piled up to slow flat scans. */
export async function foldFtsIfLarge(chunks: Table, minUnindexedRows: number): Promise<boolean> {
  const stats = await chunks.indexStats(FTS_INDEX);
  if (!stats || stats.numUnindexedRows < minUnindexedRows) return false;
  await chunks.optimize({ cleanupOlderThan: recentPast() });
  return true;
}

/**
 * Builds the ANN vector index once the table is large enough for flat search to be slow, plus
 * scalar indexes on the columns writes and filters look rows up by.
 */
export async function ensureLargeTableIndexes(
  chunks: Table,
  minRows: number,
  dimensions: number,
): Promise<boolean> {
  if (await hasIndex(chunks, VECTOR_INDEX)) return true;
  if ((await chunks.countRows()) < minRows) return false;
  // IVF_PQ rather than HNSW_SQ: on duplicate-heavy note collections HNSW_SQ missed exact
  // neighbours, while IVF_PQ plus exact re-ranking (`refineFactor`) kept them.
  const numSubVectors = dimensions % 16 === 0 ? dimensions / 16 : undefined;
  await chunks.createIndex('vector', {
    config: Index.ivfPq({ distanceType: 'cosine', ...(numSubVectors ? { numSubVectors } : {}) }),
  });
  await chunks.createIndex('note_key', { config: Index.btree() });
  await chunks.createIndex('chunk_id', { config: Index.btree() });
  await chunks.createIndex('encoder_version', { config: Index.bitmap() });
  return true;
}

export async function hasVectorIndex(chunks: Table): Promise<boolean> {
  return hasIndex(chunks, VECTOR_INDEX);
}

/** Old table versions are kept a few minutes for readers in other processes, then pruned. */
export function recentPast(): Date {
  return new Date(Date.now() - 10 * 60 * 1000);
}

export async function directoryBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    // A file LanceDB removed since the listing (compaction) counts for nothing.
    const stat = await fs.stat(path.join(entry.parentPath, entry.name)).catch(() => undefined);
    total += stat?.size ?? 0;
  }
  return total;
}
