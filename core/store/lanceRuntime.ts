import os from 'node:os';
import { connect, type Connection, type ConnectionOptions, type Table } from '@lancedb/lancedb';

/**
 * Opens a LanceDB connection with a CPU pool large enough to build full-text indexes. Lance sizes
 * its CPU pool from the core count minus a reservation, so on a 2-core machine it has a single
 * thread, and building an FTS index deadlocks there (the posting-list producer holds the only
 * thread while the writer waits for one: lancedb/lancedb#3568). The pool reads LANCE_CPU_THREADS
 * once, when it is first used, so it must be set before the first LanceDB operation.
 */
export function connectLance(dir: string, options: Partial<ConnectionOptions> = {}): Promise<Connection> {
  process.env.LANCE_CPU_THREADS ??= String(Math.max(4, os.availableParallelism()));
  return connect(dir, options);
}

/** Lance's message when another writer committed first; the losing write may simply be retried. */
const isCommitConflict = (error: unknown) =>
  error instanceof Error && /Retryable commit conflict|preempted by concurrent/i.test(error.message);

/**
 * Opens table `name`, creating it empty if it does not exist yet. Processes that open a new index
 * at the same moment (four `driftless add`) each try to create it; all but one lose Lance's commit
 * race with a retryable conflict, and their retry finds the winner's table and opens it.
 */
export async function openOrCreateTable(
  db: Connection,
  name: string,
  schema: Parameters<Connection['createEmptyTable']>[1],
): Promise<Table> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.createEmptyTable(name, schema, { mode: 'create', existOk: true });
    } catch (error) {
      if (!isCommitConflict(error) || attempt >= 5) throw error;
    }
  }
}
