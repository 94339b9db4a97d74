import { access, readdir } from 'node:fs/promises';
import path from 'node:path';
import { DriftlessError } from '../base/index.ts';
import { invalidLine, readJsonObjects, readLines } from './jsonl.ts';
import type { BeirDataset, BeirDoc, BeirQuery, Qrels, QrelsIssues, ReadBeirOptions } from './types.ts';

/** One judgement row of a qrels file. */
export interface QrelsRow {
  queryId: string;
  docId: string;
  grade: number;
  line: number;
}

/**
 * Reads a dataset in BEIR layout: `corpus.jsonl`, `queries.jsonl` and the qrels of one split from
 * `qrels/<split>.tsv`, falling back to `qrels.tsv` (the main split) when that file does not exist.
 *
 * Unknown ids in the qrels are an error by default; with `unknownIds: 'drop'` such rows are skipped and
 * counted in `issues`. Repeated (query, doc) pairs keep the highest grade and are counted too.
 *
 * @throws DriftlessError INVALID_ARGUMENT naming file and line for malformed JSON, missing or mistyped
 *   fields, duplicate ids, bad TSV rows, unknown ids, and a split without judgements; NOT_FOUND for
 *   missing files.
 */
export async function readBeirDataset(
  dir: string,
  options: ReadBeirOptions = {},
  signal?: AbortSignal,
): Promise<BeirDataset> {
  const split = options.split ?? 'test';
  const corpus = await collect(readBeirCorpus(path.join(dir, 'corpus.jsonl'), signal));
  const queries = await collect(readBeirQueries(path.join(dir, 'queries.jsonl'), signal));
  const qrelsFile = await resolveQrelsFile(dir, split);
  const known = { queries: new Set(queries.map((q) => q.id)), docs: new Set(corpus.map((d) => d.id)) };
  const { qrels, issues } = await buildQrels(qrelsFile, known, options.unknownIds ?? 'error', signal);
  if (qrels.size === 0) {
    throw new DriftlessError('INVALID_ARGUMENT', `${qrelsFile}: split '${split}' has no judgements`, {
      file: qrelsFile,
      split,
    });
  }
  return { dir, split, qrelsFile, corpus, queries, qrels, issues };
}

/** Streams the documents of a `corpus.jsonl`: `_id` and `text` required, `title` optional. */
export async function* readBeirCorpus(file: string, signal?: AbortSignal): AsyncGenerator<BeirDoc> {
  const seen = new Set<string>();
  for await (const { value, line } of readJsonObjects(file, signal)) {
    const id = uniqueId(value, file, line, seen);
    const text = stringField(value, 'text', file, line, true);
    yield { id, title: stringField(value, 'title', file, line, false) ?? '', text: text ?? '' };
  }
}

/** Streams the queries of a `queries.jsonl`: `_id` and `text` required. */
export async function* readBeirQueries(file: string, signal?: AbortSignal): AsyncGenerator<BeirQuery> {
  const seen = new Set<string>();
  for await (const { value, line } of readJsonObjects(file, signal)) {
    const id = uniqueId(value, file, line, seen);
    yield { id, text: stringField(value, 'text', file, line, true) ?? '' };
  }
}

/**
 * Streams the rows of a qrels TSV (`query-id<TAB>corpus-id<TAB>score`). The first non-blank line is
 * taken as the header when its score column is not a number; blank lines are skipped.
 */
export async function* readQrelsRows(file: string, signal?: AbortSignal): AsyncGenerator<QrelsRow> {
  let first = true;
  for await (const { text, line } of readLines(file, signal)) {
    if (text.trim() === '') continue;
    const fields = text.split('\t').map((field) => field.trim());
    const isHeader = first && fields.length === 3 && !isNumeric(fields[2] ?? '');
    first = false;
    if (isHeader) continue;
    yield parseQrelsRow(fields, file, line);
  }
}

function parseQrelsRow(fields: string[], file: string, line: number): QrelsRow {
  const [queryId, docId, score] = fields;
  if (fields.length !== 3 || !queryId || !docId || !score) {
    throw invalidLine(
      file,
      line,
      `expected 3 tab-separated fields (query-id, corpus-id, score), got ${fields.length}`,
    );
  }
  if (!isNumeric(score)) throw invalidLine(file, line, `score '${score}' is not a number`);
  return { queryId, docId, grade: Number(score), line };
}

async function buildQrels(
  file: string,
  known: { queries: Set<string>; docs: Set<string> },
  policy: 'error' | 'drop',
  signal?: AbortSignal,
): Promise<{ qrels: Qrels; issues: QrelsIssues }> {
  const qrels: Qrels = new Map();
  const issues: QrelsIssues = { unknownQueryRows: 0, unknownDocRows: 0, duplicateRows: 0 };
  for await (const row of readQrelsRows(file, signal)) {
    if (!known.queries.has(row.queryId)) {
      if (policy === 'error')
        throw invalidLine(file, row.line, `query id '${row.queryId}' is not in queries.jsonl`);
      issues.unknownQueryRows += 1;
      continue;
    }
    if (!known.docs.has(row.docId)) {
      if (policy === 'error')
        throw invalidLine(file, row.line, `corpus id '${row.docId}' is not in corpus.jsonl`);
      issues.unknownDocRows += 1;
      continue;
    }
    if (addJudgement(qrels, row)) issues.duplicateRows += 1;
  }
  return { qrels, issues };
}

/** Adds one judgement; returns true when the pair was already judged (the higher grade wins). */
function addJudgement(qrels: Qrels, row: QrelsRow): boolean {
  let judged = qrels.get(row.queryId);
  if (!judged) qrels.set(row.queryId, (judged = new Map()));
  const previous = judged.get(row.docId);
  judged.set(row.docId, Math.max(previous ?? -Infinity, row.grade));
  return previous !== undefined;
}

/** `qrels/<split>.tsv`, else `qrels.tsv`; NOT_FOUND lists the splits that exist. */
export async function resolveQrelsFile(dir: string, split: string): Promise<string> {
  if (!/^[\w.-]+$/.test(split) || split.startsWith('.')) {
    throw new DriftlessError('INVALID_ARGUMENT', `Invalid split name '${split}'`, { split });
  }
  for (const candidate of [path.join(dir, 'qrels', `${split}.tsv`), path.join(dir, 'qrels.tsv')]) {
    if (await exists(candidate)) return candidate;
  }
  const available = await listSplits(dir);
  throw new DriftlessError(
    'NOT_FOUND',
    `No qrels for split '${split}' in ${dir} (available: ${available.join(', ') || 'none'})`,
    { dir, split, available },
  );
}

async function listSplits(dir: string): Promise<string[]> {
  const names = await readdir(path.join(dir, 'qrels')).catch(() => [] as string[]);
  return names.filter((name) => name.endsWith('.tsv')).map((name) => name.slice(0, -'.tsv'.length));
}

function uniqueId(value: Record<string, unknown>, file: string, line: number, seen: Set<string>): string {
  const raw = value._id;
  const id = typeof raw === 'number' && Number.isInteger(raw) ? String(raw) : raw;
  if (typeof id !== 'string' || id === '')
    throw invalidLine(file, line, "missing or empty string field '_id'");
  if (seen.has(id)) throw invalidLine(file, line, `duplicate _id '${id}'`);
  seen.add(id);
  return id;
}

function stringField(
  value: Record<string, unknown>,
  name: string,
  file: string,
  line: number,
  required: boolean,
): string | undefined {
  const field = value[name];
  if (field === undefined && !required) return undefined;
  if (typeof field !== 'string') {
    throw invalidLine(
      file,
      line,
      field === undefined ? `missing field '${name}'` : `field '${name}' is not a string`,
    );
  }
  return field;
}

function isNumeric(text: string): boolean {
  return text.trim() !== '' && Number.isFinite(Number(text));
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
