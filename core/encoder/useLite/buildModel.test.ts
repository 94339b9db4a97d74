import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useLiteWeights } from './architecture.ts';
import { toDenseInputs } from './batching.ts';
import { buildUseLiteOnnx, MODEL_IO } from './buildModel.ts';
import { UseLiteReference } from './reference.ts';
import { cosine, maxAbsDiff, PARITY_TEXTS } from './testTexts.ts';
import { UseLiteTokenizer } from './tokenizer.ts';
import { floatWeights, readUseLiteSource } from './weights.ts';

// Tolerance of the generated model against the original graph: max |diff| <= 1e-4, cosine >= 0.9999.
const MAX_ABS_DIFF = 1e-4;
const MIN_COSINE = 0.9999;

describe('generated USE-lite ONNX model', () => {
  let session: ort.InferenceSession;
  let reference: UseLiteReference;
  let tokenizer: UseLiteTokenizer;

  beforeAll(async () => {
    const source = await readUseLiteSource();
    const { frozen, trainable } = useLiteWeights(floatWeights(source));
    session = await ort.InferenceSession.create(buildUseLiteOnnx(frozen, trainable), {
      intraOpNumThreads: 1,
    });
    reference = await UseLiteReference.load(source);
    tokenizer = await UseLiteTokenizer.load(path.join(source.dir, 'vocab.json'));
  });

  afterAll(async () => {
    await session.release();
    reference.dispose();
  });

  const runOnnx = async (ids: number[][]): Promise<{ hidden: Float32Array; embedding: Float32Array }> => {
    const { inputIds, mask, width } = toDenseInputs(ids);
    const dims = [ids.length, width];
    const out = await session.run({
      [MODEL_IO.inputIds]: new ort.Tensor('int64', inputIds, dims),
      [MODEL_IO.attentionMask]: new ort.Tensor('int64', mask, dims),
    });
    return {
      hidden: out[MODEL_IO.hidden]?.data as Float32Array,
      embedding: out[MODEL_IO.embedding]?.data as Float32Array,
    };
  };

  it('matches the original graph before and after normalisation, in one mixed-length batch', async () => {
    const full = PARITY_TEXTS.map((text) => tokenizer.encode(text));
    expect(Math.max(...full.map((ids) => ids.length))).toBeGreaterThan(128);
    // The original graph clips to 128 tokens itself; the ONNX model gets the clipped ids.
    const expected = await reference.run(full);
    const actual = await runOnnx(full.map((ids) => ids.slice(0, 128)));
    expected.forEach((want, row) => {
      const hidden = actual.hidden.slice(row * 512, (row + 1) * 512);
      const embedding = actual.embedding.slice(row * 512, (row + 1) * 512);
      expect(maxAbsDiff(hidden, want.hidden)).toBeLessThanOrEqual(MAX_ABS_DIFF);
      expect(cosine(hidden, want.hidden)).toBeGreaterThanOrEqual(MIN_COSINE);
      expect(maxAbsDiff(embedding, want.embedding)).toBeLessThanOrEqual(MAX_ABS_DIFF);
    });
  });

  it('ignores padding: a row gives the same output alone and beside a longer row', async () => {
    const short = tokenizer.encode('short note');
    const long = tokenizer.encode('a much longer note about many different things in the world');
    const alone = await runOnnx([short]);
    const padded = await runOnnx([long, short]);
    expect(maxAbsDiff(alone.embedding, padded.embedding.slice(512, 1024))).toBeLessThanOrEqual(1e-5);
  });
});
