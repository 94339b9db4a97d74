import fs from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VersionStore, versionManifestSchema } from './index.ts';
import { makeTempDir } from '../testing/index.ts';
import { fuzz, hostileText, reportFuzzCounts } from '../testing/faults/fuzz.ts';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeAll(async () => (temp = await makeTempDir('driftless-manifest-fuzz-')));
afterAll(async () => {
  reportFuzzCounts();
  await temp.remove();
});

let caseNumber = 0;
const freshDir = () => path.join(temp.dir, `case-${caseNumber++}`);

const manifestLike = fc.record(
  {
    formatVersion: fc.oneof(fc.constant(1), fc.jsonValue({ maxDepth: 0 })),
    version: fc.oneof(fc.constantFrom('v1', 'v01', 'v-1', '1', 'v1 ', '../v0'), fc.string({ maxLength: 4 })),
    parent: fc.oneof(fc.constantFrom('v0', 'v1', 'v7'), fc.jsonValue({ maxDepth: 0 })),
    backboneId: fc.oneof(fc.constant('use-lite'), fc.jsonValue({ maxDepth: 1 })),
    createdMs: fc.oneof(fc.nat(), fc.double(), fc.constant(-1)),
    files: fc.oneof(
      fc.dictionary(
        fc.constantFrom('weights.bin', '../escape', 'a b', '', 'manifest.json'),
        fc.record({ sha256: fc.stringMatching(/^[0-9a-f]{64}$/), bytes: fc.nat() }),
      ),
      fc.jsonValue({ maxDepth: 2 }),
    ),
    metrics: fc.oneof(fc.dictionary(fc.string({ maxLength: 5 }), fc.double()), fc.jsonValue({ maxDepth: 1 })),
    __proto__: fc.jsonValue({ maxDepth: 1 }),
  },
  { requiredKeys: [] },
);

describe('version manifests', () => {
  it('a damaged or hostile manifest, or current.json, never stops the store from opening', async () => {
    const text = fc.oneof(
      manifestLike.map((value) => JSON.stringify(value)),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      hostileText(200),
    );
    const current = fc.oneof(
      fc.constant(undefined),
      fc.constantFrom(
        '{"version":"v1"}',
        '{"version":"v9"}',
        '{"version":"v1","previous":"v0"}',
        '{"version":"../../etc"}',
        '{',
      ),
      hostileText(40),
    );
    await fuzz(
      'version-manifest',
      fc.asyncProperty(
        text,
        current,
        fc.uint8Array({ maxLength: 16 }),
        async (manifest, currentText, weights) => {
          const dir = freshDir();
          await VersionStore.open(dir, 'use-lite');
          await fs.mkdir(path.join(dir, 'v1'));
          await fs.writeFile(path.join(dir, 'v1', 'manifest.json'), manifest);
          await fs.writeFile(path.join(dir, 'v1', 'weights.bin'), weights);
          if (currentText !== undefined) await fs.writeFile(path.join(dir, 'current.json'), currentText);
          const store = await VersionStore.open(dir, 'use-lite');
          await store.verify(store.current.version);
          const loaded = store.list().map((m) => m.version);
          expect(loaded[0]).toBe('v0');
          if (loaded.includes('v1'))
            expect(versionManifestSchema.safeParse(store.get('v1')).success).toBe(true);
          else expect(store.damaged().map((d) => d.version)).toEqual(['v1']);
          expect(Object.prototype).not.toHaveProperty('polluted');
        },
      ),
      200,
    );
  });

  it('a published version reads back exactly as written', async () => {
    const draft = fc.record({
      metrics: fc.dictionary(
        fc.string({ minLength: 1, maxLength: 8 }),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        { maxKeys: 4 },
      ),
      note: fc.string({ maxLength: 60 }),
      weights: fc.uint8Array({ maxLength: 64 }),
    });
    await fuzz(
      'version-publish-roundtrip',
      fc.asyncProperty(draft, async ({ metrics, note, weights }) => {
        const dir = freshDir();
        const store = await VersionStore.open(dir, 'use-lite');
        const published = await store.publish(async (staging) => {
          await fs.writeFile(path.join(staging, 'weights.bin'), weights);
          return { parent: 'v0', backboneId: 'use-lite', metrics, note };
        });
        const reopened = await VersionStore.open(dir, 'use-lite');
        expect(reopened.current).toEqual(JSON.parse(JSON.stringify(published)));
      }),
      100,
    );
  });
});
