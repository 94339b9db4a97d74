import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DriftlessError, sha256 } from '../base/index.ts';
import { makeTempDir } from '../testing/tempDir.ts';
import { Compensator } from './compensator.ts';
import { encodeCompensator } from './compensatorCodec.ts';
import { loadCompensator, saveCompensator } from './compensatorFile.ts';
import { composeChain } from './composeChain.ts';
import { canonicalJson } from './floatCodec.ts';
import { randomCompensator } from './testing/randomCompensators.ts';
import { Rng, unit } from './testing/syntheticDrift.ts';
import { FITTED_KINDS } from './types.ts';

const DIMS = 12;
let temp: { dir: string; remove: () => Promise<void> };

beforeEach(async () => {
  temp = await makeTempDir('driftless-compat-');
});
afterEach(async () => {
  await temp.remove();
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'loaded',
    (error: unknown) => (error instanceof DriftlessError ? error.code : String(error)),
  );
}

/** Rewrites a saved file through `edit` and re-signs it, so that only the edit is wrong. */
async function tamper(file: string, edit: (content: Record<string, unknown>) => void): Promise<void> {
  const document = JSON.parse(await fs.readFile(file, 'utf8'));
  edit(document.content);
  const { format, formatVersion, content } = document;
  document.checksum = sha256(canonicalJson({ format, formatVersion, content }));
  await fs.writeFile(file, JSON.stringify(document));
}

describe('compensator files', () => {
  const rng = new Rng(31);
  const withFit = new Compensator({
    ...randomCompensator(rng, 'lowrank', DIMS, 'v2', 'v1').toSpec(),
    fit: {
      fittedPairs: 500,
      validationPairs: 100,
      lambda: 0.01,
      rank: 3,
      scores: { meanCosine: 0.99, recallAt1: 0.9, recallAt10: 1, mrr: 0.95, pairs: 100 },
    },
  });
  const samples = [
    ...FITTED_KINDS.map((kind) => randomCompensator(rng, kind, DIMS, 'v1', 'v0')),
    withFit,
    composeChain([withFit, randomCompensator(rng, 'procrustes', DIMS, 'v1', 'v0')]),
    Compensator.identity(DIMS, 'v0'),
  ];

  it.each(samples.map((sample) => [sample.kind, sample] as const))(
    'round-trips a %s compensator exactly',
    async (_kind, sample) => {
      const file = path.join(temp.dir, 'nested', 'v1-v0.compensator.json');
      await saveCompensator(file, sample);
      const loaded = await loadCompensator(file, { expectedDims: DIMS });
      expect(loaded.toSpec()).toEqual(sample.toSpec());
      const query = unit(rng.normalVector(DIMS));
      expect([...loaded.map(query)]).toEqual([...sample.map(query)]);
      expect(await fs.readdir(path.dirname(file))).toEqual(['v1-v0.compensator.json']);
    },
  );

  it('overwrites an existing file atomically', async () => {
    const file = path.join(temp.dir, 'c.json');
    await saveCompensator(file, samples[0]!);
    await saveCompensator(file, samples[1]!);
    expect((await loadCompensator(file)).kind).toBe(samples[1]!.kind);
    expect(await fs.readdir(temp.dir)).toEqual(['c.json']);
  });

  describe('refuses', () => {
    const file = () => path.join(temp.dir, 'c.json');
    beforeEach(async () => {
      await saveCompensator(file(), withFit);
    });

    it('a changed byte (checksum mismatch)', async () => {
      const text = await fs.readFile(file(), 'utf8');
      const at = text.indexOf('"u":"') + 8;
      await fs.writeFile(file(), text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1));
      expect(await codeOf(loadCompensator(file()))).toBe('CORRUPT');
    });

    it('a truncated file', async () => {
      const text = await fs.readFile(file(), 'utf8');
      await fs.writeFile(file(), text.slice(0, Math.floor(text.length / 2)));
      expect(await codeOf(loadCompensator(file()))).toBe('CORRUPT');
      await fs.writeFile(file(), '');
      expect(await codeOf(loadCompensator(file()))).toBe('CORRUPT');
    });

    it('dims other than expected', async () => {
      expect(await codeOf(loadCompensator(file(), { expectedDims: DIMS + 1 }))).toBe('CORRUPT');
    });

    it('parameters of the wrong size even with a valid checksum', async () => {
      await tamper(file(), (content) => {
        content.dims = DIMS + 1;
      });
      expect(await codeOf(loadCompensator(file()))).toBe('CORRUPT');
    });

    it('NaN parameters even with a valid checksum', async () => {
      const nan = encodeCompensator(
        new Compensator({ ...randomCompensator(rng, 'mean', DIMS, 'v1', 'v0').toSpec() }),
      );
      const drift = JSON.parse(nan).content.params.drift as string;
      const bytes = Buffer.from(drift, 'base64');
      bytes.writeFloatLE(Number.NaN, 4);
      await tamper(file(), (content) => {
        content.kind = 'mean';
        delete content.rank;
        content.params = { drift: bytes.toString('base64') };
      });
      expect(await codeOf(loadCompensator(file()))).toBe('CORRUPT');
    });

    it('an unknown kind, a missing parameter and a wrong format version', async () => {
      await tamper(file(), (content) => {
        content.kind = 'mlp';
      });
      expect(await codeOf(loadCompensator(file()))).toBe('CORRUPT');
      await saveCompensator(file(), withFit);
      await tamper(file(), (content) => {
        delete (content.params as Record<string, string>).v;
      });
      expect(await codeOf(loadCompensator(file()))).toBe('CORRUPT');
      const document = JSON.parse(encodeCompensator(withFit));
      document.formatVersion = 2;
      await fs.writeFile(file(), JSON.stringify(document));
      expect(await codeOf(loadCompensator(file()))).toBe('CORRUPT');
    });

    it('a missing file with NOT_FOUND', async () => {
      expect(await codeOf(loadCompensator(path.join(temp.dir, 'absent.json')))).toBe('NOT_FOUND');
    });
  });
});
