import fs from 'node:fs/promises';
import path from 'node:path';
import { materializeCorpus, readBeirCorpus, readBeirDataset } from '../../core/eval/index.ts';

/** The folder of notes to import and the queries to type. */
export interface PreparedNotes {
  kind: 'beir' | 'notes';
  notesDir: string;
  queries: string[];
}

const NOTE_FILE = /\.(md|markdown|txt|org|html?)$/i;

/**
 * A BEIR folder (it has corpus.jsonl) is written out as notes under the data folder, and its test
 * queries that have judgements are used; a plain folder of notes is used as it is, with its note
 * titles (file names, words only) as queries.
 */
export async function prepareNotes(source: string, dataDir: string, count: number): Promise<PreparedNotes> {
  const isBeir = await fs
    .access(path.join(source, 'corpus.jsonl'))
    .then(() => true)
    .catch(() => false);
  if (!isBeir) return { kind: 'notes', notesDir: source, queries: await titleQueries(source, count) };
  const dataset = await readBeirDataset(source, { split: 'test', unknownIds: 'drop' });
  const notesDir = path.join(dataDir, 'beir-notes', path.basename(source));
  await materializeCorpus(readBeirCorpus(path.join(source, 'corpus.jsonl')), notesDir);
  const judged = dataset.queries.filter((query) => dataset.qrels.has(query.id));
  return { kind: 'beir', notesDir, queries: distinct(judged.map((query) => query.text)).slice(0, count) };
}

async function titleQueries(folder: string, count: number): Promise<string[]> {
  const files = await fs.readdir(folder, { recursive: true });
  const titles = files
    .filter((file) => NOTE_FILE.test(file))
    .sort()
    .map((file) => path.basename(file).replace(NOTE_FILE, '').replace(/[-_]+/g, ' ').trim());
  return distinct(titles).slice(0, count);
}

function distinct(texts: string[]): string[] {
  return [...new Set(texts.map((text) => text.trim()).filter((text) => text.length > 1))];
}
