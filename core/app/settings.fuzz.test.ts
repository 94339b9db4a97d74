import fs from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsSchema } from '../service/contract.ts';
import { DEFAULT_SETTINGS, SettingsStore } from './settings.ts';
import { makeTempDir } from '../testing/index.ts';
import { fuzz, hostileText, reportFuzzCounts } from '../testing/faults/fuzz.ts';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeAll(async () => (temp = await makeTempDir('driftless-settings-fuzz-')));
afterAll(async () => {
  reportFuzzCounts();
  await temp.remove();
});

let caseNumber = 0;
async function dataDirWith(settingsText: string): Promise<string> {
  const dir = path.join(temp.dir, `case-${caseNumber++}`);
  await fs.mkdir(dir);
  await fs.writeFile(path.join(dir, 'settings.json'), settingsText);
  return dir;
}

const settingsLike = fc.record(
  {
    adaptation: fc.oneof(
      fc.record(
        { enabled: fc.boolean(), afterNewNotes: fc.integer({ min: -5, max: 2_000_000 }) },
        { requiredKeys: [] },
      ),
      fc.jsonValue({ maxDepth: 2 }),
    ),
    backfill: fc.jsonValue({ maxDepth: 2 }),
    theme: fc.oneof(fc.constantFrom('system', 'light', 'dark', 'neon'), fc.jsonValue({ maxDepth: 1 })),
    ignore: fc.oneof(fc.array(hostileText(20), { maxLength: 4 }), fc.jsonValue({ maxDepth: 1 })),
    maxFileBytes: fc.oneof(fc.integer(), fc.double(), fc.constant(null)),
    __proto__: fc.jsonValue({ maxDepth: 1 }),
    unknownKey: fc.jsonValue({ maxDepth: 1 }),
  },
  { requiredKeys: [] },
);

describe('settings files', () => {
  it('always open as valid settings, whatever the file holds (damaged fields take defaults)', async () => {
    const text = fc.oneof(
      settingsLike.map((value) => JSON.stringify(value)),
      fc.jsonValue().map((value) => JSON.stringify(value)),
      hostileText(200),
    );
    await fuzz(
      'settings',
      fc.asyncProperty(text, async (content) => {
        const store = await SettingsStore.open(await dataDirWith(content));
        expect(settingsSchema.safeParse(store.value).success).toBe(true);
        expect(Object.prototype).not.toHaveProperty('enabled');
      }),
      300,
    );
  });

  it('save and reopen any valid change unchanged; invalid changes are refused and not written', async () => {
    const patch = fc.record(
      {
        theme: fc.constantFrom('system', 'light', 'dark') as fc.Arbitrary<'system' | 'light' | 'dark'>,
        ignore: fc.array(fc.string({ maxLength: 30 }), { maxLength: 5 }),
        maxFileBytes: fc.integer({ min: 500, max: 2 * 1024 * 1024 * 1024 }),
        maxIndexedChars: fc.integer({ min: 0, max: 2_000_000_000 }),
        shortcut: fc.string({ maxLength: 120 }),
      },
      { requiredKeys: [] },
    );
    await fuzz(
      'settings-roundtrip',
      fc.asyncProperty(patch, async (change) => {
        const dir = path.join(temp.dir, `case-${caseNumber++}`);
        const store = await SettingsStore.open(dir);
        const valid = settingsSchema.safeParse({ ...DEFAULT_SETTINGS, ...change }).success;
        if (!valid) {
          await expect(store.update(change)).rejects.toThrow();
          await expect(fs.access(path.join(dir, 'settings.json'))).rejects.toThrow();
          expect(store.value).toEqual(DEFAULT_SETTINGS);
          return;
        }
        const saved = await store.update(change);
        expect((await SettingsStore.open(dir)).value).toEqual(saved);
      }),
      150,
    );
  });
});
