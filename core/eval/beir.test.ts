import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DriftlessError } from '../base/index.ts';
import { readBeirDataset } from './beir.ts';

const FIXTURE = fileURLToPath(new URL('./fixtures/tiny/', import.meta.url));
const CORPUS = '{"_id":"d1","title":"T","text":"one"}\n{"_id":"d2","text":"two"}\n';
const QUERIES = '{"_id":"q1","text":"first"}\n{"_id":"q2","text":"second"}\n';
const HEADER = 'query-id\tcorpus-id\tscore\n';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'driftless-beir-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeDataset(files: {
  corpus?: string;
  queries?: string;
  qrels?: string;
  qrelsPath?: string;
}) {
  await mkdir(path.join(dir, 'qrels'), { recursive: true });
  await writeFile(path.join(dir, 'corpus.jsonl'), files.corpus ?? CORPUS);
  await writeFile(path.join(dir, 'queries.jsonl'), files.queries ?? QUERIES);
  await writeFile(path.join(dir, files.qrelsPath ?? 'qrels/test.tsv'), files.qrels ?? `${HEADER}q1\td1\t1\n`);
}

/** The DriftlessError a read rejects with. */
async function readError(options = {}): Promise<DriftlessError> {
  const error: unknown = await readBeirDataset(dir, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DriftlessError);
  return error as DriftlessError;
}

describe('readBeirDataset on the fixture', () => {
  it('reads corpus, queries and graded qrels of the test split', async () => {
    const data = await readBeirDataset(FIXTURE);
    expect(data.split).toBe('test');
    expect(data.corpus.map((d) => d.id)).toEqual(['d1', 'd2', 'd3', 'Q/4 odd id', 'd5']);
    expect(data.corpus[2]).toEqual({
      id: 'd3',
      title: '',
      text: 'Insulation keeps the heat inside a house during winter.',
    });
    expect(data.queries).toHaveLength(4);
    expect([...data.qrels.keys()]).toEqual(['q1', 'q2', 'q3']);
    expect(data.qrels.get('q1')).toEqual(
      new Map([
        ['d1', 2],
        ['d3', 1],
      ]),
    );
    expect(data.qrels.get('q3')?.get('d1')).toBe(0);
    expect(data.issues).toEqual({ unknownQueryRows: 0, unknownDocRows: 0, duplicateRows: 0 });
  });

  it('reads another split by name and refuses a split that does not exist', async () => {
    const train = await readBeirDataset(FIXTURE, { split: 'train' });
    expect([...train.qrels.keys()]).toEqual(['q2']);
    const error = await readBeirDataset(FIXTURE, { split: 'dev' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NOT_FOUND', details: { available: ['test', 'train'] } });
  });
});

describe('readBeirDataset on malformed input', () => {
  it('names file and line for malformed JSON', async () => {
    await writeDataset({ corpus: `${CORPUS}{"_id":"d3", "text": \n` });
    const error = await readError();
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain('corpus.jsonl:3: malformed JSON');
    expect(error.details).toMatchObject({ line: 3 });
  });

  it('rejects a line that is JSON but not an object', async () => {
    await writeDataset({ queries: `${QUERIES}[1, 2]\n` });
    expect((await readError()).message).toContain('queries.jsonl:3: expected a JSON object');
  });

  it('names missing and mistyped fields', async () => {
    await writeDataset({ corpus: '{"_id":"d1","title":"t"}\n' });
    expect((await readError()).message).toContain("corpus.jsonl:1: missing field 'text'");
    await writeDataset({ queries: '{"text":"no id"}\n' });
    expect((await readError()).message).toContain("queries.jsonl:1: missing or empty string field '_id'");
    await writeDataset({ corpus: '{"_id":"d1","title":7,"text":"x"}\n' });
    expect((await readError()).message).toContain("corpus.jsonl:1: field 'title' is not a string");
  });

  it('rejects duplicate ids', async () => {
    await writeDataset({ corpus: `${CORPUS}{"_id":"d1","text":"again"}\n` });
    expect((await readError()).message).toContain("corpus.jsonl:3: duplicate _id 'd1'");
  });

  it('names bad TSV rows: wrong field count and non-numeric scores', async () => {
    await writeDataset({ qrels: `${HEADER}q1\td1\t1\nq2 d2 1\n` });
    expect((await readError()).message).toMatch(/test\.tsv:3: expected 3 tab-separated fields.*got 1/);
    await writeDataset({ qrels: `${HEADER}q1\td1\thigh\n` });
    expect((await readError()).message).toContain("test.tsv:2: score 'high' is not a number");
  });

  it('fails on unknown ids by default and drops and counts them on request', async () => {
    const qrels = `${HEADER}q1\td1\t1\nq9\td1\t1\nq2\td9\t1\nq1\td1\t2\n`;
    await writeDataset({ qrels });
    expect((await readError()).message).toContain("test.tsv:3: query id 'q9' is not in queries.jsonl");
    const data = await readBeirDataset(dir, { unknownIds: 'drop' });
    expect(data.issues).toEqual({ unknownQueryRows: 1, unknownDocRows: 1, duplicateRows: 1 });
    expect(data.qrels).toEqual(new Map([['q1', new Map([['d1', 2]])]]));
  });

  it('reports an unknown corpus id with its line', async () => {
    await writeDataset({ qrels: `${HEADER}q2\td9\t1\n` });
    expect((await readError()).message).toContain("test.tsv:2: corpus id 'd9' is not in corpus.jsonl");
  });

  it('rejects an empty split and falls back to qrels.tsv when qrels/<split>.tsv is absent', async () => {
    await writeDataset({ qrels: `${HEADER}\n` });
    const error = await readError();
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain("split 'test' has no judgements");
    await rm(path.join(dir, 'qrels'), { recursive: true });
    await writeDataset({ qrelsPath: 'qrels.tsv', qrels: `q2\td2\t1\n` });
    const data = await readBeirDataset(dir);
    expect(data.qrelsFile).toBe(path.join(dir, 'qrels.tsv'));
    expect(data.qrels.get('q2')).toEqual(new Map([['d2', 1]]));
  });

  it('tolerates a byte-order mark and CRLF line ends', async () => {
    await writeDataset({
      corpus: `\uFEFF${CORPUS.replaceAll('\n', '\r\n')}`,
      qrels: `\uFEFF${HEADER}q1\td1\t1\r\n`.replace('score\n', 'score\r\n'),
    });
    const data = await readBeirDataset(dir);
    expect(data.corpus.map((d) => d.id)).toEqual(['d1', 'd2']);
    expect(data.qrels.get('q1')).toEqual(new Map([['d1', 1]]));
  });

  it('refuses split names that could leave the dataset folder, and missing files', async () => {
    await writeDataset({});
    expect((await readError({ split: '../x' })).code).toBe('INVALID_ARGUMENT');
    await rm(path.join(dir, 'corpus.jsonl'));
    expect((await readError()).code).toBe('NOT_FOUND');
  });
});
