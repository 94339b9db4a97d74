import fs from 'node:fs/promises';
import path from 'node:path';
import type { Connection } from '@lancedb/lancedb';
import { DriftlessError, removeAbandonedTempFiles, writeFileAtomic } from '../base/index.ts';
import { openOrCreateTable } from './lanceRuntime.ts';
import { CHUNKS_TABLE, chunkSchema, NOTES_TABLE, noteSchema } from './schema.ts';

/** What the index folder records about itself, next to the tables. */
export interface IndexMeta {
  schemaVersion: number;
  dimensions: number;
}

interface Migration {
  version: number;
  description: string;
  up(db: Connection, meta: IndexMeta): Promise<void>;
}

/** Ordered schema changes; each runs once, on open, for an index older than it. */
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'chunks and notes tables',
    async up(db, meta) {
      await openOrCreateTable(db, CHUNKS_TABLE, chunkSchema(meta.dimensions));
      await openOrCreateTable(db, NOTES_TABLE, noteSchema());
    },
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

const metaPath = (dir: string) => path.join(dir, 'meta.json');

async function readMeta(dir: string): Promise<IndexMeta | undefined> {
  try {
    return JSON.parse(await fs.readFile(metaPath(dir), 'utf8')) as IndexMeta;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DriftlessError('CORRUPT', 'The index metadata cannot be read.', { dir }, { cause: error });
  }
}

/**
 * Written to a temporary file and renamed, so a crash never leaves half a meta file. The temp file
 * is unique to the write: processes that open a new index at the same moment (four `driftless add`)
 * each migrate it and write the same meta; with one shared `meta.json.tmp`, the first rename took
 * the file from under the others (ENOENT). Temp files of killed writers are swept first.
 */
async function writeMeta(dir: string, meta: IndexMeta): Promise<void> {
  await removeAbandonedTempFiles(dir);
  await writeFileAtomic(metaPath(dir), JSON.stringify(meta, null, 2));
}

function checkCompatible(meta: IndexMeta, dimensions: number): void {
  if (meta.schemaVersion > LATEST_SCHEMA_VERSION) {
    throw new DriftlessError('UNSUPPORTED', 'The index was written by a newer Driftless.', {
      schemaVersion: meta.schemaVersion,
    });
  }
  if (meta.dimensions !== dimensions) {
    throw new DriftlessError('CONFLICT', 'The index holds vectors of another length.', {
      indexDimensions: meta.dimensions,
      requestedDimensions: dimensions,
    });
  }
}

/** Brings the index in `dir` up to the latest schema and returns its metadata. */
export async function migrate(db: Connection, dir: string, dimensions: number): Promise<IndexMeta> {
  const meta = (await readMeta(dir)) ?? { schemaVersion: 0, dimensions };
  checkCompatible(meta, dimensions);
  for (const migration of MIGRATIONS) {
    if (migration.version <= meta.schemaVersion) continue;
    await migration.up(db, meta);
    meta.schemaVersion = migration.version;
    await writeMeta(dir, meta);
  }
  return meta;
}
