import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DriftlessError } from '../base/index.ts';
import { BundledEncoder } from './bundledEncoder.ts';
import { UseLiteReference } from './useLite/reference.ts';
import { cosine, maxAbsDiff, PARITY_TEXTS } from './useLite/testTexts.ts';
import { UseLiteTokenizer } from './useLite/tokenizer.ts';
import { readUseLiteSource } from './useLite/weights.ts';

// Tolerance against the original graph: max |diff| <= 1e-4 and cosine >= 0.9999 per vector.
const MAX_ABS_DIFF = 1e-4;
const MIN_COSINE = 0.9999;

describe('BundledEncoder', () => {
  let cacheDir: string;
  let encoder: BundledEncoder;

  beforeAll(async () => {
    cacheDir = await mkdtemp(path.join(os.tmpdir(), 'driftless-encoder-'));
    encoder = await BundledEncoder.load({
      cacheDir: path.join(cacheDir, 'models', 'use-lite'),
      threads: 1,
      batchSize: 4,
    });
  });

  afterAll(async () => {
    await encoder.close();
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('describes itself', () => {
    expect(encoder.backboneId).toBe('use-lite');
    expect(encoder.version).toBe('v0');
    expect(encoder.dimensions).toBe(512);
    expect(encoder.maxTokens).toBe(128);
    expect(encoder.countTokens('the to a')).toBe(3);
  });

  it('agrees with the original graph on short, long, unicode and empty texts', async () => {
    const source = await readUseLiteSource();
    const tokenizer = await UseLiteTokenizer.load(path.join(source.dir, 'vocab.json'));
    const reference = await UseLiteReference.load(source);
    const expected = await reference.run(PARITY_TEXTS.map((text) => tokenizer.encode(text)));
    reference.dispose();
    const actual = await encoder.embedDocuments(PARITY_TEXTS);
    expect(actual).toHaveLength(PARITY_TEXTS.length);
    actual.forEach((vector, i) => {
      const want = expected[i]?.embedding ?? new Float32Array();
      expect(maxAbsDiff(vector, want)).toBeLessThanOrEqual(MAX_ABS_DIFF);
      expect(cosine(vector, want)).toBeGreaterThanOrEqual(MIN_COSINE);
    });
  });

  it('returns unit-norm 512-d vectors, also for empty text', async () => {
    const vectors = await encoder.embedQueries(['', '   ', 'x', 'a normal query']);
    for (const vector of vectors) {
      expect(vector).toHaveLength(512);
      expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
    }
  });

  it('gives the same vectors batched (bucketed by length) as one by one, in input order', async () => {
    const texts = [
      'one',
      'a somewhat longer second text about cats',
      '',
      'three three three',
      PARITY_TEXTS[4] ?? '',
    ];
    const batched = await encoder.embedDocuments(texts);
    for (const [i, text] of texts.entries()) {
      const [single] = await encoder.embedDocuments([text]);
      expect(maxAbsDiff(batched[i] ?? new Float32Array(), single ?? new Float32Array())).toBeLessThanOrEqual(
        1e-5,
      );
    }
  });

  it('puts a paraphrase closer than an unrelated sentence', async () => {
    const [query, paraphrase, unrelated] = await encoder.embedQueries([
      'How do I bake bread at home?',
      'What is a good recipe for homemade bread?',
      'The stock market fell sharply on Tuesday.',
    ]);
    const ok = query && paraphrase && unrelated;
    expect(ok).toBeTruthy();
    if (!ok) return;
    expect(cosine(query, paraphrase)).toBeGreaterThan(cosine(query, unrelated) + 0.1);
  });

  it('embeds a text in capitals as its lowercase form, not as noise', async () => {
    const caps = 'STOCKS FALL AS OIL PRICES SURGE AFTER THE STORM';
    const [upper, lower, related, unrelated] = await encoder.embedDocuments([
      caps,
      caps.toLowerCase(),
      'Shares drop when crude oil gets more expensive',
      'A recipe for chocolate cake with cream',
    ]);
    expect(maxAbsDiff(upper!, lower!)).toBeLessThanOrEqual(1e-6);
    expect(cosine(upper!, related!)).toBeGreaterThan(cosine(upper!, unrelated!));
  });

  it('handles an empty list and stops when aborted', async () => {
    expect(await encoder.embedDocuments([])).toEqual([]);
    const controller = new AbortController();
    controller.abort();
    await expect(encoder.embedDocuments(['text'], controller.signal)).rejects.toMatchObject({
      code: 'CANCELLED',
    });
  });

  it('rejects versions that do not exist and bad limits', async () => {
    await expect(BundledEncoder.load({ cacheDir, version: 'v7' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(BundledEncoder.load({ cacheDir, maxTokens: 0 })).rejects.toBeInstanceOf(DriftlessError);
  });

  it('reads past 128 tokens only when maxTokens allows it', async () => {
    const long = PARITY_TEXTS[4] ?? '';
    expect(encoder.countTokens(long)).toBeGreaterThan(200);
    const wide = await BundledEncoder.load({
      cacheDir: path.join(cacheDir, 'models', 'use-lite'),
      threads: 1,
      maxTokens: 256,
    });
    const [narrowVector] = await encoder.embedDocuments([long]);
    const [wideVector] = await wide.embedDocuments([long]);
    await wide.close();
    expect(wide.maxTokens).toBe(256);
    expect(maxAbsDiff(narrowVector ?? new Float32Array(), wideVector ?? new Float32Array())).toBeGreaterThan(
      1e-3,
    );
    expect(Math.hypot(...(wideVector ?? []))).toBeCloseTo(1, 5);
  });

  it('closes idempotently and refuses work afterwards', async () => {
    const second = await BundledEncoder.load({
      cacheDir: path.join(cacheDir, 'models', 'use-lite'),
      threads: 1,
    });
    await second.close();
    await second.close();
    await expect(second.embedDocuments(['x'])).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
