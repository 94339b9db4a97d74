import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DriftlessError } from '../base/index.ts';
import type { ModelEntry } from './catalogue.ts';
import { lengthBuckets, OnnxSentenceEncoder } from './onnxEncoder.ts';
import { fixtureEntry } from './testing/fixtureEntry.ts';
import { buildTinyBert, writeTinyBert } from './testing/tinyBert.ts';

const model = buildTinyBert();
const entry = fixtureEntry(model);
let dir: string;
let encoder: OnnxSentenceEncoder;

function norm(v: Float32Array): number {
  return Math.sqrt(v.reduce((s, x) => s + x * x, 0));
}

function cosine(a: Float32Array, b: Float32Array): number {
  return a.reduce((s, x, i) => s + x * (b[i] as number), 0);
}

async function open(overrides: Partial<ModelEntry>, folder = dir): Promise<OnnxSentenceEncoder> {
  return OnnxSentenceEncoder.load(folder, { ...entry, ...overrides }, { version: 'v0', batchSize: 2 });
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-onnx-'));
  await writeTinyBert(dir, model);
  encoder = await OnnxSentenceEncoder.load(dir, entry, { version: 'v3', batchSize: 2 });
});

afterAll(async () => {
  await encoder.close();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('OnnxSentenceEncoder', () => {
  it('reports its identity and returns unit-norm vectors of the catalogue size', async () => {
    expect([encoder.backboneId, encoder.version, encoder.dimensions]).toEqual(['tiny-bert', 'v3', 16]);
    const vectors = await encoder.embedDocuments(['searching my notes', 'the brain and the heart']);
    expect(vectors).toHaveLength(2);
    for (const v of vectors) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v.length).toBe(16);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
    expect(cosine(vectors[0] as Float32Array, vectors[1] as Float32Array)).toBeLessThan(0.999);
  });

  it('gives the same vector for a text alone and inside a padded, bucketed batch', async () => {
    const texts = [
      'a',
      'a much longer sentence about proteins genes and cells in the study',
      'notes',
      'what is drift',
      'b',
    ];
    const batch = await encoder.embedQueries(texts);
    for (const [i, text] of texts.entries()) {
      const [single] = await encoder.embedQueries([text]);
      expect(Array.from(batch[i] as Float32Array)).toEqual(
        Array.from(single as Float32Array).map((x) => expect.closeTo(x, 5)),
      );
    }
  });

  it('applies the query and document prefixes', async () => {
    const [query] = await encoder.embedQueries(['find my notes']);
    const [document] = await encoder.embedDocuments(['find my notes']);
    expect(cosine(query as Float32Array, document as Float32Array)).toBeLessThan(0.999);
    const bare = await open({ queryPrefix: '', documentPrefix: '' });
    const [prefixedByHand] = await bare.embedQueries(['query: find my notes']);
    const [withoutPrefix] = await bare.embedQueries(['find my notes']);
    await bare.close();
    expect(cosine(query as Float32Array, prefixedByHand as Float32Array)).toBeCloseTo(1, 5);
    expect(cosine(query as Float32Array, withoutPrefix as Float32Array)).toBeLessThan(0.999);
  });

  it('pools by masked mean or by the CLS token, which give different vectors', async () => {
    const cls = await open({ pooling: 'cls' });
    const [a] = await cls.embedDocuments(['the river and the forest']);
    const [b] = await cls.embedDocuments(['a completely different sentence']);
    const [mean] = await encoder.embedDocuments(['the river and the forest']);
    await cls.close();
    expect(cosine(a as Float32Array, mean as Float32Array)).toBeLessThan(0.99);
    expect(cosine(a as Float32Array, b as Float32Array)).toBeLessThan(0.999);
    expect(norm(a as Float32Array)).toBeCloseTo(1, 5);
  });

  it('truncates long texts to maxTokens and counts tokens without truncating', async () => {
    const long = Array.from({ length: 200 }, () => 'note').join(' ');
    expect(encoder.countTokens(long)).toBe(202);
    expect(encoder.countTokens('searching')).toBe(4);
    const [vector] = await encoder.embedDocuments([long]);
    expect(norm(vector as Float32Array)).toBeCloseTo(1, 5);
    // Two tokens of the 64 go to the document prefix "passage:".
    expect(encoder.maxTokens).toBe(62);
  });

  it('runs a model without a token_type_ids input', async () => {
    const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-onnx-notype-'));
    await writeTinyBert(folder, buildTinyBert({ withTokenTypes: false }));
    const plain = await open({}, folder);
    const [v] = await plain.embedDocuments(['hello']);
    await plain.close();
    await fs.rm(folder, { recursive: true, force: true });
    expect(norm(v as Float32Array)).toBeCloseTo(1, 5);
  });

  it("uses the model's own sentence_embedding output when it has one", async () => {
    const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-onnx-pooled-'));
    await writeTinyBert(folder, buildTinyBert({ withSentenceEmbedding: true }));
    // The fixture's sentence_embedding is an unmasked mean, so the entry's CLS pooling must be ignored.
    const pooled = await open({ pooling: 'cls' }, folder);
    const [own] = await pooled.embedDocuments(['the river and the forest']);
    await pooled.close();
    await fs.rm(folder, { recursive: true, force: true });
    const [mean] = await encoder.embedDocuments(['the river and the forest']);
    expect(cosine(own as Float32Array, mean as Float32Array)).toBeCloseTo(1, 5);
  });

  it('rejects a model whose output size differs from the catalogue with CORRUPT', async () => {
    await expect(open({ dimensions: 32 })).rejects.toMatchObject({ code: 'CORRUPT' });
  });

  it('fails with NOT_FOUND when a file is missing', async () => {
    const empty = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-onnx-empty-'));
    await expect(open({}, empty)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await fs.rm(empty, { recursive: true, force: true });
  });

  it('closes idempotently and refuses work afterwards', async () => {
    const closing = await open({});
    await closing.close();
    await closing.close();
    await expect(closing.embedQueries(['x'])).rejects.toBeInstanceOf(DriftlessError);
  });

  it('stops between batches when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(encoder.embedDocuments(['a', 'b', 'c'], controller.signal)).rejects.toMatchObject({
      code: 'CANCELLED',
    });
  });
});

describe('lengthBuckets', () => {
  it('groups indices of similar length into batches of at most batchSize', () => {
    expect(lengthBuckets([5, 1, 9, 2, 7], 2)).toEqual([[1, 3], [0, 4], [2]]);
  });
});
