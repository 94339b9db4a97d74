import fs from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DriftlessError } from '../base/index.ts';
import { FITTED_KINDS, loadCompensator, saveCompensator } from './index.ts';
import { randomCompensator } from './testing/randomCompensators.ts';
import { Rng } from './testing/syntheticDrift.ts';
import { makeTempDir } from '../testing/index.ts';
import { fuzz, hostileText, reportFuzzCounts } from '../testing/faults/fuzz.ts';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let valid: string;
beforeAll(async () => {
  temp = await makeTempDir('driftless-compensator-fuzz-');
  valid = path.join(temp.dir, 'valid.json');
  await saveCompensator(valid, randomCompensator(new Rng(7), 'lowrank', 6, 'v2', 'v1'));
});
afterAll(async () => {
  reportFuzzCounts();
  await temp.remove();
});

let caseNumber = 0;
const fileWith = async (content: string | Uint8Array) => {
  const file = path.join(temp.dir, `case-${caseNumber++}.json`);
  await fs.writeFile(file, content);
  return file;
};

/** Loading either gives a usable compensator or a CORRUPT error; nothing else. */
async function expectLoadsOrCorrupt(file: string, expectedDims?: number): Promise<void> {
  try {
    const compensator = await loadCompensator(file, expectedDims === undefined ? {} : { expectedDims });
    const mapped = compensator.apply(new Float32Array(compensator.dims).fill(0.5));
    expect(mapped).toHaveLength(compensator.dims);
    for (const value of mapped) expect(Number.isFinite(value)).toBe(true);
  } catch (error) {
    expect(error).toBeInstanceOf(DriftlessError);
    expect((error as DriftlessError).code).toBe('CORRUPT');
  }
}

describe('compensator files', () => {
  it('round-trip every fitted kind exactly', async () => {
    await fuzz(
      'compensator-roundtrip',
      fc.asyncProperty(
        fc.constantFrom(...FITTED_KINDS),
        fc.integer({ min: 4, max: 12 }), // the helper's low-rank maps have rank 3
        fc.integer({ min: 1, max: 1_000_000 }),
        async (kind, dims, seed) => {
          const compensator = randomCompensator(new Rng(seed), kind, dims, 'v3', 'v2');
          const file = path.join(temp.dir, `case-${caseNumber++}.json`);
          await saveCompensator(file, compensator);
          const loaded = await loadCompensator(file, { expectedDims: dims });
          const probe = Float32Array.from({ length: dims }, (_, i) => Math.sin(i + seed));
          expect(loaded.apply(probe)).toEqual(compensator.apply(probe));
          expect(loaded.kind).toBe(kind);
        },
      ),
      150,
    );
  });

  it('refuse damaged files as CORRUPT: truncated, bytes flipped, or any other text', async () => {
    const text = await fs.readFile(valid, 'utf8');
    const damaged = fc.oneof(
      fc.nat({ max: text.length - 1 }).map((at) => text.slice(0, at)),
      fc
        .tuple(fc.nat({ max: text.length - 1 }), fc.string({ minLength: 1, maxLength: 3 }))
        .map(([at, replacement]) => text.slice(0, at) + replacement + text.slice(at + replacement.length)),
      fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
      fc
        .record(
          {
            format: fc.jsonValue({ maxDepth: 1 }),
            formatVersion: fc.jsonValue({ maxDepth: 1 }),
            content: fc.jsonValue({ maxDepth: 3 }),
            checksum: fc.string(),
          },
          { requiredKeys: [] },
        )
        .map((value) => JSON.stringify(value)),
      hostileText(300),
    );
    await fuzz(
      'compensator-hostile',
      fc.asyncProperty(damaged, fc.option(fc.constantFrom(6, 7)), async (content, dims) => {
        await expectLoadsOrCorrupt(await fileWith(content), dims ?? undefined);
      }),
      300,
    );
  });

  it('refuse a file that claims huge dimensions without allocating them', async () => {
    const text = await fs.readFile(valid, 'utf8');
    const claimed = text.replace(/"dims":6/, '"dims":2000000000');
    await expectLoadsOrCorrupt(await fileWith(claimed));
  });
});
