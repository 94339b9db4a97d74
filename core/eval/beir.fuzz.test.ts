import fs from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DriftlessError } from '../base/index.ts';
import { readBeirDataset } from './index.ts';
import { makeTempDir } from '../testing/index.ts';
import { fuzz, hostileText, reportFuzzCounts } from '../testing/faults/fuzz.ts';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeAll(async () => (temp = await makeTempDir('driftless-beir-fuzz-')));
afterAll(async () => {
  reportFuzzCounts();
  await temp.remove();
});

let caseNumber = 0;
async function writeDataset(files: { corpus: string; queries: string; qrels: string }): Promise<string> {
  const dir = path.join(temp.dir, `case-${caseNumber++}`);
  await fs.mkdir(path.join(dir, 'qrels'), { recursive: true });
  await fs.writeFile(path.join(dir, 'corpus.jsonl'), files.corpus);
  await fs.writeFile(path.join(dir, 'queries.jsonl'), files.queries);
  await fs.writeFile(path.join(dir, 'qrels', 'test.tsv'), files.qrels);
  return dir;
}

const jsonValue = fc.jsonValue({ maxDepth: 3 });
const idLike = fc.oneof(
  fc.constantFrom('d1', 'q1', '', ' ', '__proto__', 'constructor', '1'),
  fc.string({ maxLength: 6 }),
);
const record = fc.record(
  {
    _id: fc.oneof(idLike, jsonValue),
    title: fc.oneof(hostileText(30), jsonValue),
    text: fc.oneof(hostileText(60), jsonValue),
  },
  { requiredKeys: [] },
);
const jsonl = fc
  .array(
    fc.oneof(
      record.map((r) => JSON.stringify(r)),
      hostileText(40),
      jsonValue.map((v) => JSON.stringify(v)),
    ),
    { maxLength: 6 },
  )
  .map((lines) => lines.join('\n'));
const tsv = fc
  .array(
    fc.oneof(
      fc
        .tuple(idLike, idLike, fc.oneof(fc.integer({ min: -3, max: 3 }).map(String), hostileText(5)))
        .map((f) => f.join('\t')),
      hostileText(30),
    ),
    { maxLength: 6 },
  )
  .map((rows) => ['query-id\tcorpus-id\tscore', ...rows].join('\n'));

describe('BEIR reader on hostile files', () => {
  it('either reads a dataset or refuses it with a DriftlessError naming the file', async () => {
    await fuzz(
      'beir',
      fc.asyncProperty(jsonl, jsonl, tsv, async (corpus, queries, qrels) => {
        const dir = await writeDataset({ corpus, queries, qrels });
        try {
          const dataset = await readBeirDataset(dir, { unknownIds: 'drop' });
          for (const doc of dataset.corpus) {
            expect(typeof doc.id).toBe('string');
            expect(typeof doc.text).toBe('string');
          }
          expect(dataset.qrels.size).toBeGreaterThan(0);
        } catch (error) {
          expect(error).toBeInstanceOf(DriftlessError);
          expect(['INVALID_ARGUMENT', 'NOT_FOUND']).toContain((error as DriftlessError).code);
        }
        expect(Object.prototype).not.toHaveProperty('polluted');
      }),
      200,
    );
  });

  it('reads back any well-formed dataset exactly', async () => {
    const word = fc.stringMatching(/^[A-Za-z0-9 ]{0,20}$/);
    await fuzz(
      'beir-roundtrip',
      fc.asyncProperty(
        fc.uniqueArray(fc.stringMatching(/^[a-z0-9]{1,6}$/), { minLength: 1, maxLength: 8 }),
        fc.array(word, { minLength: 8, maxLength: 8 }),
        async (ids, texts) => {
          const corpus = ids
            .map((id, i) => JSON.stringify({ _id: `d${id}`, title: '', text: texts[i] }))
            .join('\n');
          const queries = ids.map((id, i) => JSON.stringify({ _id: `q${id}`, text: texts[i] })).join('\n');
          const qrels = ['query-id\tcorpus-id\tscore', ...ids.map((id) => `q${id}\td${id}\t1`)].join('\n');
          const dataset = await readBeirDataset(await writeDataset({ corpus, queries, qrels }));
          expect(dataset.corpus.map((doc) => doc.id)).toEqual(ids.map((id) => `d${id}`));
          expect(dataset.qrels.size).toBe(ids.length);
        },
      ),
      100,
    );
  });
});
