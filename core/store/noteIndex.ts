import fs from 'node:fs/promises';
import { connectLance } from './lanceRuntime.ts';
import type { Connection } from '@lancedb/lancedb';
import { DriftlessError, throwIfAborted } from '../base/index.ts';
import { CommittedNotes } from './committedNotes.ts';
import {
  directoryBytes,
  ensureFtsIndex,
  ensureLargeTableIndexes,
  foldFtsIfLarge,
  hasVectorIndex,
  recentPast,
  dropFtsPositions,
} from './maintenance.ts';
import { findDamagedTable, indexDamaged, isLanceReadFailure } from './indexDamage.ts';
import { migrate } from './migrations.ts';
import {
  chunkBatches,
  chunksByRowId,
  chunksOfNotes,
  denseSearch,
  filterSearch,
  rowIdsOfVersion,
  textSearch,
  titleSearch,
} from './readers.ts';
import { readChunksOfNote, renamedNote } from './rename.ts';
import { CHUNKS_TABLE, NOTES_TABLE, rowToNote, rowVector } from './schema.ts';
import { SerialQueue } from './serialQueue.ts';
import { sqlIn, sqlNumber, sqlString } from './sql.ts';
import { noteKey as noteKeyOf } from './noteKey.ts';
import type {
  ChunkFilters,
  DenseSearchOptions,
  IndexStats,
  NoteIndexOptions,
  NoteKey,
  NoteState,
  NoteWrite,
  ScoredChunk,
  StoredChunk,
  TextSearchOptions,
} from './types.ts';
import { inBatches, removeNotes, repair, writeNotes } from './writeProtocol.ts';
import type { IndexTables, WriteStep } from './writeProtocol.ts';

/** Test hook: write only up to a step of the protocol, as if the process died there. */
export const writeUpToStep = Symbol('writeUpToStep');

/**
 * Chunks from which `optimize` builds the ANN index (IVF_PQ, re-ranked exactly). Below it every
 * search scans every vector, which grows with the library: at 43k chunks (11.8k notes) that scan
 * was most of the search window's keystroke-to-paint time, while IVF_PQ gave the same nDCG@10 on
 * scifact, nfcorpus and cacm (bench/results/paint/README.md).
 */
export const DEFAULT_ANN_MIN_ROWS = 20_000;
const DEFAULT_FTS_FOLD_ROWS = 20_000;

/** What `findDamagedTable` reads of each table: one small column, every row. */
const TABLE_PROBES = [
  { name: CHUNKS_TABLE, column: 'start' },
  { name: NOTES_TABLE, column: 'chunk_count' },
];

/** How long a version stays for other processes' queries in flight when cleaning up after a crash. */
const CRASH_CLEANUP_GRACE_MS = 30_000;

/**
 * The note index: chunk rows with vectors and text in LanceDB, plus the committed state of each
 * note. Writes are serialised inside one instance and are atomic per note for readers; reads run
 * concurrently with writes.
 */
export class NoteIndex {
  readonly #db: Connection;
  /** Undefined in an index opened damaged (`openDamaged`): every call fails with `#damage` first. */
  readonly #tablesIfOpen: IndexTables | undefined;
  readonly #options: { annMinRows: number; ftsFoldRows: number };
  readonly #writes = new SerialQueue();
  readonly #dir: string;
  #closed = false;
  /** Set once a read found damaged files (INDEX_DAMAGED): every later call throws it. */
  #damage: DriftlessError | undefined;
  #ftsReady = false;
  /** Encoder versions whose rows this instance has counted or written (countRowsByVersion). */
  readonly #versionsSeen = new Set<string>();

  private constructor(
    dir: string,
    db: Connection,
    tables: IndexTables | undefined,
    options: NoteIndexOptions,
    damage?: DriftlessError,
  ) {
    this.#dir = dir;
    this.#db = db;
    this.#tablesIfOpen = tables;
    this.#damage = damage;
    this.#options = {
      annMinRows: options.annMinRows ?? DEFAULT_ANN_MIN_ROWS,
      ftsFoldRows: options.ftsFoldRows ?? DEFAULT_FTS_FOLD_ROWS,
    };
  }

  /**
   * Opens (creating or migrating as needed) the index in `dir`. Leftovers of crashed writes are
   * removed only with `repairOnOpen` (see there): by default the caller repairs under its writer lock.
   */
  static async open(dir: string, options: NoteIndexOptions): Promise<NoteIndex> {
    await fs.mkdir(dir, { recursive: true });
    const interval = options.readConsistencyIntervalSeconds;
    const db = await connectLance(dir, interval === undefined ? {} : { readConsistencyInterval: interval });
    try {
      return await NoteIndex.#openTables(dir, db, options);
    } catch (error) {
      if (!isLanceReadFailure(error)) throw error;
      // The probe only names the damaged table; the read failure is what is thrown either way.
      const damaged = await findDamagedTable(db, TABLE_PROBES).catch(() => undefined);
      const damage = indexDamaged(dir, damaged?.table ?? 'chunks or notes', damaged?.cause ?? error);
      if (options.openDamaged) return new NoteIndex(dir, db, undefined, options, damage);
      db.close();
      throw damage;
    }
  }

  /** The tables; every caller checks `#damage` first (`#assertOpen`), so they exist here. */
  get #tables(): IndexTables {
    if (!this.#tablesIfOpen) throw this.#damage ?? new DriftlessError('INTERNAL', 'The index has no tables.');
    return this.#tablesIfOpen;
  }

  static async #openTables(dir: string, db: Connection, options: NoteIndexOptions): Promise<NoteIndex> {
    await migrate(db, dir, options.dimensions);
    const chunks = await db.openTable(CHUNKS_TABLE);
    const notes = await db.openTable(NOTES_TABLE);
    const tables: IndexTables = {
      chunks,
      notes,
      committed: new CommittedNotes(notes),
      dimensions: options.dimensions,
      annIndexed: await hasVectorIndex(chunks),
    };
    const index = new NoteIndex(dir, db, tables, options);
    if (options.repairOnOpen ?? false) await index.repair();
    return index;
  }

  /** Releases the tables; safe to call more than once. Waits for running writes. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#writes.idle();
    this.#tablesIfOpen?.chunks.close();
    this.#tablesIfOpen?.notes.close();
    this.#db.close();
  }

  /** Writes many notes in one batch (few LanceDB writes); each note appears atomically. */
  async writeNotes(notes: readonly NoteWrite[], signal?: AbortSignal): Promise<void> {
    await this.#write(async () => {
      throwIfAborted(signal);
      for (const note of notes) for (const chunk of note.chunks) this.#versionsSeen.add(chunk.encoderVersion);
      await writeNotes(this.#tables, notes);
      await foldFtsIfLarge(this.#tables.chunks, this.#options.ftsFoldRows);
    });
  }

  async [writeUpToStep](notes: readonly NoteWrite[], lastStep: WriteStep): Promise<void> {
    await this.#write(() => writeNotes(this.#tables, notes, lastStep));
  }

  async removeNotes(keys: readonly NoteKey[]): Promise<void> {
    await this.#write(() => removeNotes(this.#tables, keys));
  }

  /**
   * Moves a note to a new key, keeping its chunks and vectors (no re-embedding). Row ids are
   * rewritten with `chunkRowId`. Throws NOT_FOUND when `from` is not indexed.
   */
  async renameNote(from: NoteKey, to: NoteKey): Promise<void> {
    await this.#write(async () => {
      const note = await this.#findNote(from);
      if (!note) throw new DriftlessError('NOT_FOUND', 'The note is not in the index.', { ...from });
      const chunks = await readChunksOfNote(this.#tables, from);
      await writeNotes(this.#tables, [renamedNote(note, chunks, to)]);
      await removeNotes(this.#tables, [from]);
    });
  }

  /** Deletes chunk rows that no committed note owns; returns how many. Runs on open. */
  async repair(): Promise<number> {
    return this.#write(() => repair(this.#tables));
  }

  /**
   * Reads a small column of every row of each table, so that damaged files (a garbage manifest, a
   * truncated data file) fail here with INDEX_DAMAGED before a sync trusts what the index holds.
   */
  async verify(): Promise<void> {
    this.#assertOpen();
    const damaged = await findDamagedTable(this.#db, TABLE_PROBES);
    if (!damaged) return;
    this.#damage = indexDamaged(this.#dir, damaged.table, damaged.cause);
    throw this.#damage;
  }

  async listNotes(folderId: string): Promise<NoteState[]> {
    return this.#read(async () => {
      const rows = await this.#tables.notes
        .query()
        .where(`folder_id = ${sqlString(folderId)}`)
        .toArray();
      return rows.map(rowToNote);
    });
  }

  /** The folders that have committed notes in this index. */
  async folderIds(): Promise<string[]> {
    return this.#read(async () => {
      const rows = await this.#tables.notes.query().select(['folder_id']).toArray();
      return [...new Set(rows.map((row) => String(row.folder_id)))];
    });
  }

  async getNote(key: NoteKey): Promise<NoteState | undefined> {
    return this.#read(() => this.#findNote(key));
  }

  /**
   * Stored vectors of `encoderVersion` for chunk contents already in the index, by chunkId, so an
   * edited or moved note re-embeds only its changed chunks.
   */
  async vectorsForChunks(
    chunkIds: readonly string[],
    encoderVersion: string,
  ): Promise<Map<string, Float32Array>> {
    return this.#read(async () => {
      const vectors = new Map<string, Float32Array>();
      for (const batch of inBatches([...new Set(chunkIds)])) {
        const where = `${sqlIn('chunk_id', batch)} AND encoder_version = ${sqlString(encoderVersion)}`;
        const rows = await this.#tables.chunks.query().where(where).select(['chunk_id', 'vector']).toArray();
        for (const row of rows) vectors.set(String(row.chunk_id), rowVector(row));
      }
      return vectors;
    });
  }

  /** The `k` chunks nearest to `vector` by cosine; score is the cosine similarity. */
  async denseSearch(vector: Float32Array, options: DenseSearchOptions): Promise<ScoredChunk[]> {
    return this.#read(() => denseSearch(this.#tables, vector, options));
  }

  /** BM25 full-text search over title, headings and text; `phrase` matches the words in order. */
  async textSearch(query: string, options: TextSearchOptions): Promise<ScoredChunk[]> {
    return this.#read(async () => {
      await this.#ensureFtsIndex();
      if (!this.#ftsReady) return [];
      return textSearch(this.#tables, query, options);
    });
  }

  /** Chunks of notes titled exactly `title` (ignoring case). */
  async titleSearch(title: string, options: { k: number; filters?: ChunkFilters }): Promise<ScoredChunk[]> {
    return this.#read(() => titleSearch(this.#tables, title, options));
  }

  /** Chunks that pass the filters, unranked. */
  async filterSearch(options: { k: number; filters?: ChunkFilters }): Promise<ScoredChunk[]> {
    return this.#read(() => filterSearch(this.#tables, options));
  }

  /**
   * Every committed chunk (no vectors), a batch at a time: for reading the whole index without
   * holding the caller's thread (a turn for other work between batches).
   */
  chunkBatches(): AsyncGenerator<StoredChunk[]> {
    this.#assertOpen();
    return chunkBatches(this.#tables);
  }

  /** Keys (`noteKey`) of the committed notes, read from the in-memory copy of the notes table. */
  async committedNoteKeys(): Promise<string[]> {
    return this.#read(async () => {
      await this.#tables.committed.refresh();
      return this.#tables.committed.keys();
    });
  }

  /** The committed chunks of these notes (`noteKey` keys), each note's in start order. */
  async chunksOfNotes(noteKeys: readonly string[]): Promise<Map<string, StoredChunk[]>> {
    return this.#read(() => chunksOfNotes(this.#tables, noteKeys));
  }

  /** Row ids of the committed rows embedded by `encoderVersion`, in storage order (ids only). */
  async rowIdsOfVersion(encoderVersion: string): Promise<string[]> {
    return this.#read(() => rowIdsOfVersion(this.#tables, encoderVersion));
  }

  /** The committed rows with these row ids; unknown ids are skipped. */
  async chunksByRowId(rowIds: readonly string[]): Promise<StoredChunk[]> {
    return this.#read(() => chunksByRowId(this.#tables, rowIds));
  }

  /**
   * Chunk rows per encoder version (versions with rows only). Counted in LanceDB, one filtered
   * count per version this index has seen, plus one count of rows of any other version; only such
   * rows (none, unless another writer added a version) are read, to learn their versions. Status
   * and the versions list call this on every refresh: reading the whole column meant materialising
   * every row's version string in JavaScript.
   */
  async countRowsByVersion(): Promise<Record<string, number>> {
    return this.#read(async () => {
      const { chunks } = this.#tables;
      const known = [...this.#versionsSeen];
      const counts: Record<string, number> = {};
      const perVersion = await Promise.all(
        known.map((version) => chunks.countRows(`encoder_version = ${sqlString(version)}`)),
      );
      known.forEach((version, i) => {
        if ((perVersion[i] ?? 0) > 0) counts[version] = perVersion[i]!;
      });
      const others = known.length > 0 ? `NOT (${sqlIn('encoder_version', known)})` : undefined;
      if ((await chunks.countRows(others)) === 0) return counts;
      const query = chunks.query().select(['encoder_version']);
      for (const row of await (others ? query.where(others) : query).toArray()) {
        const version = String(row.encoder_version);
        this.#versionsSeen.add(version);
        counts[version] = (counts[version] ?? 0) + 1;
      }
      return counts;
    });
  }

  /** Names of the indexes on the chunk table (full-text, vector, scalar). */
  async indexNames(): Promise<string[]> {
    return this.#read(async () => (await this.#tables.chunks.listIndices()).map((index) => index.name));
  }

  async stats(): Promise<IndexStats> {
    return this.#read(async () => {
      const [notes, chunks, bytesOnDisk] = await Promise.all([
        this.#tables.notes.countRows(),
        this.#tables.chunks.countRows(),
        directoryBytes(this.#dir),
      ]);
      return { notes, chunks, bytesOnDisk };
    });
  }

  /**
   * Compacts files, prunes old versions, folds new rows into the indexes, and builds the full-text
   * index and (for a large table) the ANN index. Call after imports and in idle time.
   */
  async optimize(): Promise<void> {
    await this.#write(async () => {
      await ensureFtsIndex(this.#tables.chunks);
      const { chunks, dimensions } = this.#tables;
      this.#tables.annIndexed = await ensureLargeTableIndexes(chunks, this.#options.annMinRows, dimensions);
      await this.#tables.chunks.optimize({ cleanupOlderThan: recentPast() });
      await this.#tables.notes.optimize({ cleanupOlderThan: recentPast() });
    });
  }

  /**
   * After a crash: compacts both tables and deletes old versions and the files a killed writer left
   * unreferenced (a crashed import otherwise leaves its data files for days: 13 kill -9 cycles left
   * 148 MB for a 47 MB index). Deleting unreferenced files is only safe while no other process can
   * be writing, so call this only while holding the data folder's writer lock. Rows are unchanged.
   */
  async compactAfterCrash(): Promise<void> {
    await this.#write(async () => {
      // Older versions go too, after a grace period for queries other processes have in flight
      // (they read the latest version before each query); the usual cleanup keeps ten minutes.
      const options = {
        cleanupOlderThan: new Date(Date.now() - CRASH_CLEANUP_GRACE_MS),
        deleteUnverified: true,
      };
      await this.#tables.chunks.optimize(options);
      await this.#tables.notes.optimize(options);
    });
  }

  /**
   * Sets the date of a committed note's chunks (what date filters use and results show) without
   * rewriting them: for notes indexed before notes had their own dates.
   */
  async setNoteDate(key: NoteKey, dateMs: number): Promise<void> {
    await this.#write(async () => {
      const where = `note_key = ${sqlString(noteKeyOf(key))}`;
      await this.#tables.chunks.update({ where, valuesSql: { modified_ms: sqlNumber(dateMs) } });
    });
  }

  /**
   * Rebuilds a full-text index built with word positions without them (LanceDB cannot optimize a
   * large positional index); true when it did. For the writer, in the background.
   */
  async upgradeFtsIndex(): Promise<boolean> {
    return this.#write(() => dropFtsPositions(this.#tables.chunks));
  }

  async #findNote(key: NoteKey): Promise<NoteState | undefined> {
    const where = `folder_id = ${sqlString(key.folderId)} AND note_path = ${sqlString(key.notePath)}`;
    const rows = await this.#tables.notes.query().where(where).limit(1).toArray();
    return rows[0] ? rowToNote(rows[0]) : undefined;
  }

  /** Builds the full-text index lazily, before the first text search that has rows to search. */
  async #ensureFtsIndex(): Promise<void> {
    if (this.#ftsReady) return;
    this.#ftsReady = await this.#write(() => ensureFtsIndex(this.#tables.chunks));
  }

  #write<T>(task: () => Promise<T>): Promise<T> {
    return this.#read(() => this.#writes.run(task), { retry: false });
  }

  /**
   * Runs a read (or a write) and turns a failure to read damaged files into INDEX_DAMAGED. A read
   * whose failure the probe cannot place (it reads one small column, which may lie before a cut, or
   * come from this process's caches) is tried once more: a passing failure (a file compacted away
   * under a query in flight) then succeeds, damage fails again. Writes are never tried twice.
   */
  async #read<T>(run: () => Promise<T>, options: { retry: boolean } = { retry: true }): Promise<T> {
    this.#assertOpen();
    try {
      return await run();
    } catch (error) {
      if (!isLanceReadFailure(error)) throw error;
      const damaged = await findDamagedTable(this.#db, TABLE_PROBES).catch(() => undefined);
      if (damaged) throw this.#damaged(damaged.table, damaged.cause);
      if (!options.retry) throw error;
    }
    try {
      return await run();
    } catch (again) {
      if (!isLanceReadFailure(again)) throw again;
      const found = await findDamagedTable(this.#db, TABLE_PROBES, true).catch(() => undefined);
      throw this.#damaged(found?.table ?? 'chunks or notes', found?.cause ?? again);
    }
  }

  /** Every later call fails the same way at once: nothing may be written over a damaged index. */
  #damaged(table: string, cause: unknown): DriftlessError {
    this.#damage = indexDamaged(this.#dir, table, cause);
    return this.#damage;
  }

  #assertOpen(): void {
    if (this.#closed) throw new DriftlessError('CONFLICT', 'The note index is closed.');
    if (this.#damage) throw this.#damage;
  }
}
