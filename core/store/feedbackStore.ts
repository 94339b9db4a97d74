import { connectLance } from './lanceRuntime.ts';
import type { Connection, Table } from '@lancedb/lancedb';
import { Field, Float64, List, Schema, Utf8 } from 'apache-arrow';
import { recentPast } from './maintenance.ts';
import { sqlNumber } from './sql.ts';

export const FEEDBACK_TABLE = 'feedback';

/** Appends between compactions of the feedback table. */
export const OPTIMIZE_EVERY = 50;

/** One user reaction to a search result, as stored. */
export interface FeedbackRecord {
  atMs: number;
  query: string;
  kind: 'open' | 'up' | 'down' | 'pin' | 'hide';
  folderId: string;
  notePath: string;
  chunkId?: string;
  /** The ranked note keys (folderId + '/' + notePath) the user saw, top first. */
  shown: string[];
  encoderVersion: string;
}

const utf8 = (name: string, nullable = false) => new Field(name, new Utf8(), nullable);

function feedbackSchema(): Schema {
  return new Schema([
    new Field('at_ms', new Float64(), false),
    utf8('query'),
    utf8('kind'),
    utf8('folder_id'),
    utf8('note_path'),
    utf8('chunk_id', true),
    new Field('shown', new List(new Field('item', new Utf8(), true)), false),
    utf8('encoder_version'),
  ]);
}

/**
 * Feedback events in a `feedback` LanceDB table beside the chunk tables of the index folder. Each
 * append is one committed LanceDB write, so an acknowledged event survives a crash.
 */
export class FeedbackStore {
  #appendsSinceOptimize = 0;
  #optimizing: Promise<void> | undefined;

  private constructor(
    private readonly db: Connection,
    private readonly inner: Table,
  ) {}

  /** Opens (creating if needed) the feedback table in the index folder `dir`. */
  static async open(dir: string): Promise<FeedbackStore> {
    const db = await connectLance(dir);
    const table = await db.createEmptyTable(FEEDBACK_TABLE, feedbackSchema(), {
      mode: 'create',
      existOk: true,
    });
    return new FeedbackStore(db, table);
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

function toRow(record: FeedbackRecord): Record<string, unknown> {
  return {
    at_ms: record.atMs,
    query: record.query,
    kind: record.kind,
    folder_id: record.folderId,
    note_path: record.notePath,
    chunk_id: record.chunkId ?? null,
    shown: record.shown,
    encoder_version: record.encoderVersion,
  };
}

function fromRow(row: Record<string, unknown>): FeedbackRecord {
  const chunkId = row.chunk_id === null || row.chunk_id === undefined ? undefined : String(row.chunk_id);
  return {
    atMs: Number(row.at_ms),
    query: String(row.query),
    kind: String(row.kind) as FeedbackRecord['kind'],
    folderId: String(row.folder_id),
    notePath: String(row.note_path),
    ...(chunkId !== undefined ? { chunkId } : {}),
    shown: Array.from((row.shown ?? []) as Iterable<string>),
    encoderVersion: String(row.encoder_version),
  };
}
