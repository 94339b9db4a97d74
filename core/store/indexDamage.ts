import type { Connection } from '@lancedb/lancedb';
import { DriftlessError } from '../base/index.ts';

/**
 * LanceDB reports a damaged file only as text (`LanceError(IO): file size is too small, <Rust
 * source path>`). These failures are the disk's state, not the files': they never mean damage.
 */
const ENVIRONMENT =
  /no space left|quota|permission denied|access is denied|too many open files|resource temporarily unavailable|commit conflict|retryable|cancel/i;

/** Whether `error` is a failure of LanceDB reading its files (and not of the environment). */
export function isLanceReadFailure(error: unknown): boolean {
  if (error instanceof DriftlessError || !(error instanceof Error)) return false;
  // A table whose folder or version files are gone: "Table 'chunks' was not found".
  const lance = /lance ?error|table '[^']*' was not found/i;
  return lance.test(error.message) && !ENVIRONMENT.test(error.message);
}

/** The innermost cause of a LanceDB message, without the Rust source locations it carries. */
export function lanceReason(message: string): string {
  const withoutSources = message.replace(/,?\s*\/\S+\.rs:\d+:\d+/g, '');
  const innermost =
    withoutSources.split(/Caused by:\s*|LanceError\(\w+\):\s*|lance error:\s*/i).at(-1) ?? message;
  return innermost.replace(/^Generic \w+ error:\s*/i, '').trim();
}

/** The specific error for a damaged table: which table, why, and what the person can do. */
export function indexDamaged(dir: string, table: string, cause: unknown): DriftlessError {
  const reason = lanceReason(cause instanceof Error ? cause.message : String(cause));
  return new DriftlessError(
    'INDEX_DAMAGED',
    `The search index is damaged: its ${table} table cannot be read (${reason}). ` +
      'Run `driftless repair` to rebuild it from your notes; the damaged files are moved aside, ' +
      'and feedback, pins, versions and settings are kept.',
    { dir, table, reason },
    { cause },
  );
}

/**
 * After a read failed: reads each table from scratch to learn which one is damaged. Undefined when
 * every table reads (the failure was passing, say a file compacted away under a query in flight).
 * By default one small column is read; `deep` reads every column of every row, batch by batch (a
 * cut can lie past that column, or its pages can still be in this process's cache).
 */
export async function findDamagedTable(
  db: Connection,
  tables: readonly { name: string; column: string }[],
  deep = false,
): Promise<{ table: string; cause: unknown } | undefined> {
  for (const { name, column } of tables) {
    try {
      const table = await db.openTable(name);
      try {
        await table.countRows();
        if (!deep) await table.query().select([column]).toArray();
        else for await (const batch of table.query()) void batch;
      } finally {
        table.close();
      }
    } catch (cause) {
      if (isLanceReadFailure(cause)) return { table: name, cause };
      throw cause;
    }
  }
  return undefined;
}
