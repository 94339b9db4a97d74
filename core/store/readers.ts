import { setImmediate } from 'node:timers/promises';
import { MatchQuery, Operator, type FullTextQuery } from '@lancedb/lancedb';
import { compileGlob } from '../base/glob.ts';
import { CHUNK_COLUMNS, rowToChunk } from './schema.ts';
import { filtersToSql, sqlAnd, sqlIn, sqlString } from './sql.ts';
import type {
  ChunkFilters,
  DenseSearchOptions,
  ScoredChunk,
  StoredChunk,
  TextSearchOptions,
} from './types.ts';
import { inBatches, type IndexTables } from './writeProtocol.ts';

type Row = Record<string, unknown>;

/** Fetch more than asked for, because rows of uncommitted revisions and the path glob drop some. */
const OVERFETCH = 2;
const OVERFETCH_SLACK = 10;
const GROWTH = 4;
const ANN_REFINE_FACTOR = 5;
/** Rows converted and handed on at a time by `chunkBatches`, with a turn of the event loop between. */
const ROWS_PER_SLICE = 512;

function pathTest(filters: ChunkFilters | undefined): (path: string) => boolean {
  if (!filters?.pathGlob) return () => true;
  // Linear-time matching: a glob is user input, and a backtracking matcher is a ReDoS.
  return compileGlob(filters.pathGlob);
}

/**
 * Runs `fetch` with a growing limit until at least `k` rows survive the JS-side checks (committed revision,
 * path glob) or the table has no more matches. Reloads the committed notes once when it meets a
 * revision it does not know, which is how a reader notices another writer's commit.
 */
async function fetchVisible(
  tables: IndexTables,
  k: number,
  filters: ChunkFilters | undefined,
  fetch: (limit: number) => Promise<Row[]>,
  accept: (row: Row) => boolean = () => true,
): Promise<Row[]> {
  const pathMatches = pathTest(filters);
  const keep = (row: Row) =>
    tables.committed.isCommitted(row as never) && pathMatches(String(row.note_path)) && accept(row);
  await tables.committed.refresh();
  let limit = k * OVERFETCH + OVERFETCH_SLACK;
  for (;;) {
    const rows = await fetch(limit);
    let kept = rows.filter(keep);
    if (kept.length < rows.length) {
      await tables.committed.refresh();
      kept = rows.filter(keep);
    }
    if (kept.length >= k || rows.length < limit) return kept;
    limit *= GROWTH;
  }
}

/**
 * The cosine of a row to the query from LanceDB's `_distance`, without reading its vector: stored
 * vectors are unit-norm, so a flat scan by dot product (`_distance` = 1 - q·v) gives cosine as
 * (1 - distance) / |q|; with the ANN index (built for cosine, re-ranked exactly by `refineFactor`)
 * it is 1 - distance. An all-zero stored vector scores 0 under both, as before.
 */
function cosineFromDistance(distance: unknown, queryNorm: number, annIndexed: boolean): number {
  const d = Number(distance);
  if (!Number.isFinite(d) || queryNorm === 0) return 0;
  return annIndexed ? 1 - d : (1 - d) / queryNorm;
}

/** Nearest chunks by cosine; the score is the cosine similarity, from LanceDB's distances. */
export async function denseSearch(
  tables: IndexTables,
  vector: Float32Array,
  options: DenseSearchOptions,
): Promise<ScoredChunk[]> {
  const where = sqlAnd([
    filtersToSql(options.filters),
    options.encoderVersion !== undefined
      ? `encoder_version = ${sqlString(options.encoderVersion)}`
      : undefined,
  ]);
  const annIndexed = tables.annIndexed;
  const rows = await fetchVisible(tables, options.k, options.filters, (limit) => {
    // Stored vectors are unit-norm (the Encoder contract), so without an ANN index (built for
    // cosine) dot product ranks as cosine does, and LanceDB's flat scan is ~4x faster with it.
    let query = tables.chunks
      .query()
      .nearestTo(vector)
      .distanceType(annIndexed ? 'cosine' : 'dot');
    if (annIndexed) query = query.refineFactor(ANN_REFINE_FACTOR);
    if (where) query = query.where(where);
    // No stored vectors come back: 512 floats a candidate were read only to recompute the cosine.
    return query
      .select([...CHUNK_COLUMNS, '_distance'])
      .limit(limit)
      .toArray();
  });
  const queryNorm = Math.hypot(...vector);
  const scored = rows.map((row) => ({
    ...rowToChunk(row),
    score: cosineFromDistance(row._distance, queryNorm, annIndexed),
  }));
  return scored.sort((a, b) => b.score - a.score).slice(0, options.k);
}

/** Lowercased words joined by single spaces and padded, so word sequences compare with `includes`. */
function wordSequence(text: string): string {
  return ` ${(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).join(' ')} `;
}

function containsPhrase(row: Row, phrase: string): boolean {
  const chunk = rowToChunk(row);
  return wordSequence([chunk.title, ...chunk.headingPath, chunk.text].join('\n')).includes(
    wordSequence(phrase),
  );
}

/**
 * BM25 over title, headings and text together (the `fts_text` column). A phrase search asks for
 * chunks with all the words (the index keeps no word positions, see createFtsIndex) and keeps only
 * those whose words, as the window highlights them, hold the phrase in order.
 */
export async function textSearch(
  tables: IndexTables,
  text: string,
  options: TextSearchOptions,
): Promise<ScoredChunk[]> {
  if (!/[\p{L}\p{N}]/u.test(text)) return [];
  if (!options.phrase) return ftsSearch(tables, new MatchQuery(text, 'fts_text'), options);
  const inOrder = (row: Row) => containsPhrase(row, text);
  return ftsSearch(tables, new MatchQuery(text, 'fts_text', { operator: Operator.And }), options, inOrder);
}

async function ftsSearch(
  tables: IndexTables,
  ftsQuery: FullTextQuery,
  options: TextSearchOptions,
  accept?: (row: Row) => boolean,
): Promise<ScoredChunk[]> {
  const where = filtersToSql(options.filters);
  const fetch = (limit: number) => {
    let query = tables.chunks.query().fullTextSearch(ftsQuery);
    if (where) query = query.where(where);
    return query
      .select([...CHUNK_COLUMNS, '_score'])
      .limit(limit)
      .toArray();
  };
  const rows = await fetchVisible(tables, options.k, options.filters, fetch, accept);
  return rows.slice(0, options.k).map((row) => ({ ...rowToChunk(row), score: Number(row._score) }));
}

/**
 * Chunks of notes whose title equals `title`, ignoring case; score 1. Titles are looked up in the
 * small notes table first, so this does not scan every chunk's title.
 */
export async function titleSearch(
  tables: IndexTables,
  title: string,
  options: { k: number; filters?: ChunkFilters },
): Promise<ScoredChunk[]> {
  const titled = await tables.notes
    .query()
    .where(`lower(title) = lower(${sqlString(title.trim())})`)
    .select(['note_key'])
    .limit(options.k)
    .toArray();
  if (titled.length === 0) return [];
  const where = sqlAnd([
    filtersToSql(options.filters),
    sqlIn(
      'note_key',
      titled.map((row) => String(row.note_key)),
    ),
  ]);
  const rows = await fetchVisible(tables, options.k, options.filters, (limit) =>
    tables.chunks
      .query()
      .where(where ?? 'true')
      .select(CHUNK_COLUMNS)
      .limit(limit)
      .toArray(),
  );
  return rows.slice(0, options.k).map((row) => ({ ...rowToChunk(row), score: 1 }));
}

/** Chunks that pass the filters, in storage order; score 0. For queries made only of filters. */
export async function filterSearch(
  tables: IndexTables,
  options: { k: number; filters?: ChunkFilters },
): Promise<ScoredChunk[]> {
  const where = filtersToSql(options.filters);
  const rows = await fetchVisible(tables, options.k, options.filters, (limit) => {
    let query = tables.chunks.query();
    if (where) query = query.where(where);
    return query.select(CHUNK_COLUMNS).limit(limit).toArray();
  });
  return rows.slice(0, options.k).map((row) => ({ ...rowToChunk(row), score: 0 }));
}

/**
 * Row ids (`id`) of the committed rows that `encoderVersion` embedded, in storage order. Reads
 * three columns as Arrow batches, no row objects: samplers (forward-map anchors) need the ids of a
 * whole version segment, not its texts and vectors.
 */
export async function rowIdsOfVersion(tables: IndexTables, encoderVersion: string): Promise<string[]> {
  await tables.committed.refresh();
  const query = tables.chunks
    .query()
    .where(`encoder_version = ${sqlString(encoderVersion)}`)
    .select(['id', 'note_key', 'revision']);
  const committed: string[] = [];
  for await (const batch of query) {
    const [ids, keys, revisions] = ['id', 'note_key', 'revision'].map((name) => batch.getChild(name));
    if (!ids || !keys || !revisions) throw new Error('The chunk table returned no id, note_key or revision.');
    for (let i = 0; i < batch.numRows; i++) {
      if (tables.committed.isCommitted({ note_key: keys.get(i), revision: revisions.get(i) }))
        committed.push(String(ids.get(i)));
    }
    await setImmediate(); // a turn for search between batches
  }
  return committed;
}

/** The committed rows with these row ids (`id`), in no particular order; unknown ids are skipped. */
export async function chunksByRowId(tables: IndexTables, rowIds: readonly string[]): Promise<StoredChunk[]> {
  await tables.committed.refresh();
  const chunks: StoredChunk[] = [];
  for (const batch of inBatches([...new Set(rowIds)])) {
    const rows = await tables.chunks.query().where(sqlIn('id', batch)).select(CHUNK_COLUMNS).toArray();
    for (const row of rows) if (tables.committed.isCommitted(row as never)) chunks.push(rowToChunk(row));
  }
  return chunks;
}

/**
 * Every committed chunk row (without its vector), one Arrow record batch at a time, read column by
 * column rather than as row objects. The caller's thread gets a turn between batches: reading a
 * whole index in one `toArray` held the app's thread for as long as it took to build every row
 * (over a second at 20k chunks).
 */
export async function* chunkBatches(tables: IndexTables): AsyncGenerator<StoredChunk[]> {
  await tables.committed.refresh();
  for await (const batch of tables.chunks.query().select(CHUNK_COLUMNS)) {
    const columns = CHUNK_COLUMNS.map((name) => {
      const column = batch.getChild(name);
      if (!column) throw new Error(`The chunk table returned no ${name} column.`);
      return [name, column] as const;
    });
    for (let from = 0; from < batch.numRows; from += ROWS_PER_SLICE) {
      const chunks: StoredChunk[] = [];
      for (let i = from; i < Math.min(batch.numRows, from + ROWS_PER_SLICE); i++) {
        const row = Object.fromEntries(columns.map(([name, column]) => [name, column.get(i)]));
        if (tables.committed.isCommitted(row as never)) chunks.push(rowToChunk(row));
      }
      yield chunks;
      // A macrotask turn between slices, whatever the consumer did with the last one.
      await setImmediate();
    }
  }
}

/**
 * The committed chunks of these notes (store note keys, `noteKey`), each note's in start order.
 * Lets a sampler of notes read only the notes it picked.
 */
export async function chunksOfNotes(
  tables: IndexTables,
  noteKeys: readonly string[],
): Promise<Map<string, StoredChunk[]>> {
  await tables.committed.refresh();
  const notes = new Map<string, StoredChunk[]>();
  for (const batch of inBatches([...new Set(noteKeys)])) {
    const rows = await tables.chunks.query().where(sqlIn('note_key', batch)).select(CHUNK_COLUMNS).toArray();
    for (const row of rows) {
      if (!tables.committed.isCommitted(row as never)) continue;
      const key = String(row.note_key);
      const chunks = notes.get(key) ?? [];
      chunks.push(rowToChunk(row));
      notes.set(key, chunks);
    }
  }
  for (const chunks of notes.values()) chunks.sort((a, b) => a.start - b.start);
  return notes;
}
