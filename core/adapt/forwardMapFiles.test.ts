import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256 } from '../base/index.ts';
import { fitForwardMap, type ForwardMap } from '../compat/index.ts';
import { canonicalJson } from '../compat/floatCodec.ts';
import { topicalDrift } from '../compat/testing/syntheticDrift.ts';
import { VersionStore } from '../versions/index.ts';
import { loadForwardMaps, saveForwardMaps } from './forwardMaps.ts';
import { FIXTURE_DIMS, LINEAR_WEIGHTS_FILE, openAdaptWorld, type AdaptWorld } from './testing/index.ts';
import { identity } from './testing/linearEncoder.ts';

/** Maps of a small space: the loader checks them against the dims it is given, not the encoder's. */
const DIMS = 12;

let world: AdaptWorld;
let map: ForwardMap;
beforeEach(async () => {
  world = await openAdaptWorld();
  const anchors = topicalDrift(4, 120, DIMS);
  map = (await fitForwardMap(anchors, { fromVersion: 'v0', toVersion: 'v1', kinds: ['linear'] })).map;
  expect(map.correction).toBeDefined();
});
afterEach(() => world.close());

/** Publishes v1 with its forward map of v0 as saveForwardMaps writes it, then `damage` to the folder. */
async function publishV1(damage: (dir: string) => Promise<void> = async () => undefined) {
  await world.versions.publish(async (dir) => {
    await saveForwardMaps(dir, new Map([['v0', map]]));
    await damage(dir);
    const weights = { dims: FIXTURE_DIMS, matrix: [...identity(FIXTURE_DIMS)] };
    await fs.writeFile(path.join(dir, LINEAR_WEIGHTS_FILE), JSON.stringify(weights));
    return { backboneId: 'feature-hashing', parent: 'v0' };
  });
  const versions = await VersionStore.open(world.versions.dir, 'feature-hashing');
  const refused: string[] = [];
  const maps = await loadForwardMaps(versions, 'v1', DIMS, (file, reason) =>
    refused.push(`${file}: ${reason}`),
  );
  return { loaded: maps.get('v0')!, refused };
}

describe('forward map files', () => {
  it('keep the anchor correction beside the map, so a published version scores old rows as it was fitted', async () => {
    const { loaded, refused } = await publishV1();
    expect(refused).toEqual([]);
    expect(loaded.correction!.params).toEqual(map.correction!.params);
    const stored = topicalDrift(9, 3, DIMS).stored;
    for (const vector of stored) expect(loaded.image(vector)).toEqual(map.image(vector));
  });

  it('refuse a damaged correction with its reason and search through the affine map alone', async () => {
    const { loaded, refused } = await publishV1(async (dir) => {
      const file = path.join(dir, 'correction-v0.json');
      const document = JSON.parse(await fs.readFile(file, 'utf8'));
      document.content.weight = 7;
      const { format, formatVersion, content } = document;
      document.checksum = sha256(canonicalJson({ format, formatVersion, content }));
      await fs.writeFile(file, JSON.stringify(document));
    });
    expect(refused).toEqual([expect.stringMatching(/^correction-v0\.json: .*weight/)]);
    expect(loaded.correction).toBeUndefined();
    const stored = topicalDrift(9, 1, DIMS).stored[0]!;
    expect(loaded.image(stored)).toEqual(map.map.apply(stored));
  });
});
