import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DriftlessError } from '../base/index.ts';
import { DEFAULT_CATALOGUE_PATH, loadCatalogue, parseCatalogue } from './catalogue.ts';
import { fixtureEntry } from './testing/fixtureEntry.ts';
import { buildTinyBert } from './testing/tinyBert.ts';

const entry = fixtureEntry(buildTinyBert());
let dir: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-catalogue-'));
});

afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

function parseError(value: unknown): DriftlessError {
  try {
    parseCatalogue(value, 'test.json');
  } catch (error) {
    return error as DriftlessError;
  }
  throw new Error('expected the catalogue to be rejected');
}

describe('model catalogue', () => {
  it('loads the bundled catalogue with the curated models and their prefixes', async () => {
    const catalogue = await loadCatalogue(DEFAULT_CATALOGUE_PATH);
    const byId = new Map(catalogue.models.map((m) => [m.id, m]));
    expect([...byId.keys()]).toEqual([
      'all-minilm-l6-v2',
      'bge-small-en-v1.5',
      'e5-small-v2',
      'gte-small',
      'nomic-embed-text-v1.5',
    ]);
    expect(byId.get('e5-small-v2')).toMatchObject({
      queryPrefix: 'query: ',
      documentPrefix: 'passage: ',
      pooling: 'mean',
    });
    expect(byId.get('bge-small-en-v1.5')).toMatchObject({
      pooling: 'cls',
      queryPrefix: 'Represent this sentence for searching relevant passages: ',
    });
    expect(byId.get('nomic-embed-text-v1.5')).toMatchObject({
      dimensions: 768,
      queryPrefix: 'search_query: ',
      documentPrefix: 'search_document: ',
    });
  });

  it('rejects a malformed entry with CORRUPT and a message naming each bad field', () => {
    const error = parseError({
      schemaVersion: 1,
      models: [{ ...entry, pooling: 'max', revision: 'main', files: [{ ...entry.files[0], sha256: 'abc' }] }],
    });
    expect(error).toBeInstanceOf(DriftlessError);
    expect(error.code).toBe('CORRUPT');
    expect(error.details?.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^models\.0\.pooling: /),
        expect.stringMatching(/^models\.0\.revision: .*40-digit/),
        expect.stringMatching(/^models\.0\.files\.0\.sha256: .*64 lowercase hex/),
      ]),
    );
    expect(error.message).toContain('test.json');
  });

  it('rejects duplicate ids, unknown keys, unsafe paths and entries without a tokenizer', () => {
    expect(parseError({ schemaVersion: 1, models: [entry, entry] }).message).toContain('unique');
    expect(parseError({ schemaVersion: 1, models: [{ ...entry, colour: 'red' }] }).message).toContain(
      'colour',
    );
    expect(
      parseError({
        schemaVersion: 1,
        models: [{ ...entry, files: [{ ...entry.files[0], path: '../evil' }] }],
      }).message,
    ).toContain('".."');
    expect(
      parseError({
        schemaVersion: 1,
        models: [{ ...entry, files: entry.files.filter((f) => f.role !== 'tokenizer') }],
      }).message,
    ).toContain('tokenizer');
  });

  it('reports unreadable files as NOT_FOUND and broken JSON as CORRUPT', async () => {
    await expect(loadCatalogue(path.join(dir, 'missing.json'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const broken = path.join(dir, 'broken.json');
    await fs.writeFile(broken, '{ "schemaVersion": 1, ');
    await expect(loadCatalogue(broken)).rejects.toMatchObject({
      code: 'CORRUPT',
      message: expect.stringContaining('not valid JSON'),
    });
  });
});
