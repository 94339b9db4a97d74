import os from 'node:os';
import { connect, type Connection, type ConnectionOptions } from '@lancedb/lancedb';

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
