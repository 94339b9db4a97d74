import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256 } from '../base/index.ts';
import { makeTempDir } from '../testing/index.ts';
import { buildCorrection } from './anchorCorrection.ts';
import { loadAnchorCorrection, saveAnchorCorrection } from './anchorCorrectionFile.ts';
import { canonicalJson } from './floatCodec.ts';
import { embeddingLikeVectors, Rng } from './testing/syntheticDrift.ts';

const DIMS = 8;
const versions = { fromVersion: 'v0', toVersion: 'v1' };
const rng = new Rng(7);
const [stored, current, images] = [0, 1, 2].map(() => embeddingLikeVectors(rng, 12, DIMS)) as [
  Float32Array[],
  Float32Array[],
  Float32Array[],
];
const correction = buildCorrection(
  { stored, current, images },
  { neighbours: 4, temperature: 0.05, weight: 0.5 },
);

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let file: string;
beforeEach(async () => {
  temp = await makeTempDir();
  file = path.join(temp.dir, 'correction-v0.json');
  await saveAnchorCorrection(file, correction, versions);
});
afterEach(() => temp.remove());

/** Rewrites the saved file's content and signs it again, so only the value checks can catch it. */
async function resign(edit: (content: Record<string, unknown>) => void): Promise<void> {
  const document = JSON.parse(await fs.readFile(file, 'utf8'));
  edit(document.content);
  const { format, formatVersion, content } = document;
  document.checksum = sha256(canonicalJson({ format, formatVersion, content }));
  await fs.writeFile(file, JSON.stringify(document));
}

const load = () => loadAnchorCorrection(file, { ...versions, dims: DIMS });

describe('anchor correction files', () => {
  it('give back a correction that moves images exactly as the saved one', async () => {
    const loaded = await load();
    expect(loaded.params).toMatchObject({ neighbours: 4, temperature: 0.05, weight: 0.5 });
    for (let i = 0; i < 3; i++)
      expect(loaded.apply(stored[i]!, images[i]!)).toEqual(correction.apply(stored[i]!, images[i]!));
  });

  it.each([
    [
      'a flipped byte',
      async () =>
        fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace('"weight":0.5', '"weight":0.6')),
      /checksum mismatch/,
    ],
    [
      'a truncated file',
      async () => fs.writeFile(file, (await fs.readFile(file, 'utf8')).slice(0, 100)),
      /not valid JSON/,
    ],
    [
      'another pair of versions',
      () => resign((content) => void (content.toVersion = 'v2')),
      /toVersion v2, expected v1/,
    ],
    ['other dims', () => resign((content) => void (content.dims = DIMS * 2)), /dims 16, expected 8/],
    [
      'more neighbours than anchors',
      () => resign((content) => void (content.neighbours = 13)),
      /more neighbours than anchors/,
    ],
    [
      'a residual that is not finite',
      () =>
        resign((content) => {
          const bytes = Buffer.from(content.residuals as string, 'base64');
          bytes.writeFloatLE(Number.NaN, 4);
          content.residuals = bytes.toString('base64');
        }),
      /residuals holds values that are not finite/,
    ],
    [
      'keys of the wrong size',
      () => resign((content) => void (content.keys = Buffer.alloc(8).toString('base64'))),
      /keys must hold 96/,
    ],
  ])('are refused as CORRUPT, saying why, on %s', async (_, damage, reason) => {
    await damage();
    await expect(load()).rejects.toMatchObject({ code: 'CORRUPT', message: expect.stringMatching(reason) });
  });

  it('that are missing are NOT_FOUND', async () => {
    await fs.rm(file);
    await expect(load()).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
