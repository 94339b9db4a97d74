import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256 } from '../base/index.ts';
import { Compensator, encodeCompensator } from '../compat/index.ts';
import { canonicalJson } from '../compat/floatCodec.ts';
import { VersionStore } from '../versions/index.ts';
import { forwardMapFile, loadForwardMaps } from '../adapt/forwardMaps.ts';
import {
  FIXTURE_DIMS,
  LINEAR_WEIGHTS_FILE,
  LinearEncoder,
  openAdaptWorld,
  topicNotes,
  type AdaptWorld,
} from '../adapt/testing/index.ts';
import { identity } from '../adapt/testing/linearEncoder.ts';
import { VersionSearchSpace } from './versionSpace.ts';

const COMPENSATOR = 'compensator.json';
type Damage = 'intact' | 'nan' | 'infinite' | 'missing-param';

/** A mean map's file text; damaged ones keep a valid checksum, so only the value checks can catch them. */
function mapFile(fromVersion: string, toVersion: string, damage: Damage): string {
  const drift = new Float32Array(FIXTURE_DIMS).fill(0.01);
  const text = encodeCompensator(
    new Compensator({ fromVersion, toVersion, dims: FIXTURE_DIMS, params: { kind: 'mean', drift } }),
  );
  if (damage === 'intact') return text;
  const document = JSON.parse(text);
  const bytes = Buffer.from(document.content.params.drift as string, 'base64');
  if (damage === 'missing-param') delete document.content.params.drift;
  else bytes.writeFloatLE(damage === 'nan' ? Number.NaN : Number.POSITIVE_INFINITY, 8);
  if (damage !== 'missing-param') document.content.params.drift = bytes.toString('base64');
  const { format, formatVersion, content } = document;
  document.checksum = sha256(canonicalJson({ format, formatVersion, content }));
  return JSON.stringify(document);
}

let world: AdaptWorld;
beforeEach(async () => {
  world = await openAdaptWorld();
  await world.write(topicNotes(8), 'v0');
});
afterEach(() => world.close());

/** Publishes `version` (a child of `parent`) with its compensator to the parent and forward maps of `older`. */
async function publish(
  version: string,
  parent: string,
  maps: { compensator: Damage; forward: Damage; older: string[] },
): Promise<void> {
  const published = await world.versions.publish(async (dir) => {
    await fs.writeFile(path.join(dir, COMPENSATOR), mapFile(version, parent, maps.compensator));
    for (const older of maps.older)
      await fs.writeFile(path.join(dir, forwardMapFile(older)), mapFile(older, version, maps.forward));
    const weights = { dims: FIXTURE_DIMS, matrix: [...identity(FIXTURE_DIMS)] };
    await fs.writeFile(path.join(dir, LINEAR_WEIGHTS_FILE), JSON.stringify(weights));
    return {
      backboneId: 'feature-hashing',
      parent,
      compensator: { file: COMPENSATOR, kind: 'mean', quality: 1 },
    };
  });
  expect(published.version).toBe(version);
}

/** v1 (a child of v0) holding its compensator to v0 and its forward map of v0's rows. */
async function publishV1(compensator: Damage, forward: Damage): Promise<VersionSearchSpace> {
  await publish('v1', 'v0', { compensator, forward, older: ['v0'] });
  await world.write(topicNotes(4, 8), 'v1');
  // A fresh store, as the app opens it: the damaged files pass their manifest checksums.
  const versions = await VersionStore.open(world.versions.dir, 'feature-hashing');
  expect(versions.damaged()).toEqual([]);
  return new VersionSearchSpace(versions, world.index, loadForwardMaps);
}

const query = new Float32Array(FIXTURE_DIMS).fill(0.1);
const v1 = new LinearEncoder(FIXTURE_DIMS, 'v1');

describe('a damaged forward map or compensator', () => {
  it('is refused with its reason; v0 stays searched through the intact compensator', async () => {
    const space = await publishV1('intact', 'nan');
    const vectors = await space.vectorsByVersion(query, v1);
    expect([...vectors.keys()]).toEqual(['v1', 'v0']);
    expect(vectors.get('v0')!.every(Number.isFinite)).toBe(true);
    expect(await space.problems('v1', FIXTURE_DIMS)).toEqual([
      { version: 'v0', problem: expect.stringMatching(/forward-v0\.json refused: .*non-finite value/) },
    ]);
  });

  it('reaches v0 through the intact forward map when the compensator is refused', async () => {
    const space = await publishV1('missing-param', 'intact');
    expect([...(await space.vectorsByVersion(query, v1)).keys()]).toEqual(['v1', 'v0']);
    expect(await space.problems('v1', FIXTURE_DIMS)).toEqual([
      { version: 'v0', problem: expect.stringMatching(/compensator\.json refused: .*drift is missing/) },
    ]);
  });

  it('reports v0 unreachable, never silently, when both of its maps are refused', async () => {
    const space = await publishV1('infinite', 'nan');
    const vectors = await space.vectorsByVersion(query, v1);
    expect([...vectors.keys()]).toEqual(['v1']);
    const problems = await space.problems('v1', FIXTURE_DIMS);
    expect(problems.map((problem) => problem.problem)).toEqual([
      expect.stringMatching(/forward-v0\.json refused: .*non-finite/),
      expect.stringMatching(/compensator\.json refused: .*non-finite/),
      expect.stringMatching(/rows of v0 are unreachable from v1/),
    ]);
  });
});

describe('a version whose files fail their checksum', () => {
  it('is reported, and the rows of it and below it stay searched through the current version’s forward maps', async () => {
    await publish('v1', 'v0', { compensator: 'intact', forward: 'intact', older: ['v0'] });
    await world.write(topicNotes(4, 8), 'v1');
    await publish('v2', 'v1', { compensator: 'intact', forward: 'intact', older: ['v0', 'v1'] });
    await world.write(topicNotes(4, 12), 'v2');
    // One flipped byte in v1's compensator: the store sets the whole version aside as damaged.
    const file = path.join(world.versions.dir, 'v1', COMPENSATOR);
    const bytes = await fs.readFile(file);
    const at = bytes.length - 3;
    bytes.writeUInt8(bytes.readUInt8(at) ^ 1, at);
    await fs.writeFile(file, bytes);
    const versions = await VersionStore.open(world.versions.dir, 'feature-hashing');
    expect(versions.damaged().map((damaged) => damaged.version)).toEqual(['v1']);
    expect(versions.current.version).toBe('v2');

    const space = new VersionSearchSpace(versions, world.index, loadForwardMaps);
    const vectors = await space.vectorsByVersion(query, new LinearEncoder(FIXTURE_DIMS, 'v2'));
    expect([...vectors.keys()].sort()).toEqual(['v0', 'v1', 'v2']);
    expect(await space.problems('v2', FIXTURE_DIMS)).toEqual([
      { version: 'v1', problem: expect.stringMatching(/compensator\.json does not match its checksum/) },
    ]);
  });
});
