import { connectLance, openOrCreateTable } from './lanceRuntime.ts';
import type { Connection, Table } from '@lancedb/lancedb';
import { feedbackSchema, fromRow, toRow, type FeedbackRecord } from './feedbackRows.ts';
import { moveLegacyFeedback } from './feedbackMove.ts';
import { isLanceReadFailure, lanceReason } from './indexDamage.ts';
import { setAsideDamaged } from '../base/index.ts';
import { recentPast } from './maintenance.ts';
import { sqlNumber } from './sql.ts';

export const FEEDBACK_TABLE = 'feedback';

/** Appends between compactions of the feedback table. */
export const OPTIMIZE_EVERY = 50;

/**
 * Feedback events in a `feedback` LanceDB table in the data folder's `feedback/` folder, outside the
 * index, so rebuilding a damaged index keeps them. Each append is one committed LanceDB write, so an
 * acknowledged event survives a crash.
 */
export class FeedbackStore {
  #appendsSinceOptimize = 0;
  #optimizing: Promise<void> | undefined;

  private constructor(
    private readonly db: Connection,
    private readonly inner: Table,
  ) {}

  /**
   * Opens (creating if needed) the feedback table in `dir`. With `movedFrom`, the index folder where
   * older versions kept it, its events are moved here first (once; see moveLegacyFeedback).
   */
  static async open(dir: string, options: { movedFrom?: string } = {}): Promise<FeedbackStore> {
    const store = await FeedbackStore.#openChecked(dir).catch(async (error: unknown) => {
      if (!isLanceReadFailure(error)) throw error;
      // Damaged files must not keep the app from starting: they go aside (kept), and a new
      // table starts; status and driftless.log say so.
      const reason = lanceReason(error instanceof Error ? error.message : String(error));
      await setAsideDamaged(dir, `the feedback table cannot be read (${reason})`);
      return FeedbackStore.#openChecked(dir);
    });
    if (options.movedFrom) await moveLegacyFeedback(options.movedFrom, FEEDBACK_TABLE, store);
    return store;
  }

  /** Opens the table and reads one column of every row, so damaged files fail here, not later. */
  static async #openChecked(dir: string): Promise<FeedbackStore> {
    const db = await connectLance(dir);
    try {
      const table = await openOrCreateTable(db, FEEDBACK_TABLE, feedbackSchema());
      await table.query().select(['at_ms']).toArray();
      return new FeedbackStore(db, table);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /**
   * Adds events in one committed write. Every `OPTIMIZE_EVERY` appends the table is compacted and
   * its old versions pruned: each append is a fragment and a table version of its own, and a
   * never-optimised table grew by thousands of tiny files that every read had to open.
   */
  async append(records: readonly FeedbackRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.inner.add(records.map(toRow));
    if (++this.#appendsSinceOptimize >= OPTIMIZE_EVERY) await this.optimize();
  }

  /** Compacts the table and prunes versions older than a few minutes; never fails an append. */
  async optimize(): Promise<void> {
    this.#appendsSinceOptimize = 0;
    this.#optimizing ??= this.inner
      .optimize({ cleanupOlderThan: recentPast() })
      .then(
        () => undefined,
        () => undefined, // another process compacting at once: the next round tries again
      )
      .finally(() => (this.#optimizing = undefined));
    await this.#optimizing;
  }

  /** Every event (or those at or after `sinceMs`), oldest first. */
  async read(options: { sinceMs?: number } = {}): Promise<FeedbackRecord[]> {
    let query = this.inner.query();
    if (options.sinceMs !== undefined) query = query.where(`at_ms >= ${sqlNumber(options.sinceMs)}`);
    const rows = await query.toArray();
    return rows.map(fromRow).sort((a, b) => a.atMs - b.atMs);
  }

  async count(options: { sinceMs?: number } = {}): Promise<number> {
    return this.inner.countRows(
      options.sinceMs === undefined ? undefined : `at_ms >= ${sqlNumber(options.sinceMs)}`,
    );
  }

  /** Safe to call more than once. */
  close(): void {
    if (!this.inner.isOpen()) return;
    this.inner.close();
    this.db.close();
  }
}

export type { FeedbackRecord } from './feedbackRows.ts';
