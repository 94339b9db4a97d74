import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeChain, type Compensator } from '../compat/index.ts';
import type { Encoder } from '../encoder/index.ts';
import {
  calibratedMerge,
  rankMerge,
  rawCosineMerge,
  searchNotes,
  type VectorsByVersion,
  type VersionMergeStrategy,
} from '../search/index.ts';
import { loadForwardMaps, runAdaptation } from '../adapt/index.ts';
import {
  FIXTURE_ADAPTATION_PROMOTING,
  openAdaptWorld,
  testJobContext,
  topicNotes,
  type AdaptWorld,
} from '../adapt/testing/index.ts';
import { sampleVersionVectors, VersionSearchSpace } from './versionSpace.ts';

/**
 * One world that grows three versions: v0 indexes the old notes, v1 and v2 are trained on later
 * notes (each indexed by the version current at the time). Old notes are never re-embedded: the
 * adoptions keep no anchors.
 */
let world: AdaptWorld;
let space: VersionSearchSpace;
const oldNotes = topicNotes(36);
const ADAPTATION = { ...FIXTURE_ADAPTATION_PROMOTING, keepAnchors: false };

beforeAll(async () => {
  world = await openAdaptWorld();
  await world.write(oldNotes, 'v0');
  await runAdaptation(world.deps(), ADAPTATION, testJobContext());
  await world.write(topicNotes(24, 36), 'v1');
  await runAdaptation(world.deps(), ADAPTATION, testJobContext());
  await world.write(topicNotes(12, 60), 'v2');
  space = new VersionSearchSpace(world.versions, world.index, loadForwardMaps);
}, 60_000);
afterAll(() => world.close());

/** Queries in the notes' own words (a sentence of a section) that should find their old note. */
const oldQueries = oldNotes.slice(0, 24).map((spec) => {
  const section = spec.sections[1] as { text: string };
  return { query: section.text.split('. ')[1]!, notePath: spec.notePath };
});

async function meanReciprocalRank(
  encoder: Encoder,
  vectorsByVersion: VectorsByVersion,
  versionMerge: VersionMergeStrategy,
): Promise<number> {
  let sum = 0;
  for (const { query, notePath } of oldQueries) {
    const result = await searchNotes(
      world.index,
      encoder,
      { query, mode: 'dense', limit: 20 },
      { vectorsByVersion, versionMerge },
    );
    const rank = result.hits.findIndex((hit) => hit.notePath === notePath);
    sum += rank < 0 ? 0 : 1 / (rank + 1);
  }
  return sum / oldQueries.length;
}

describe('VersionSearchSpace', () => {
  it('searches the current version and every older version with rows, newest first', async () => {
    expect(world.versions.current.version).toBe('v2');
    expect(await space.searchedVersions('v2')).toEqual(['v2', 'v1', 'v0']);
    const vectors = await space.vectorsByVersion(
      new Float32Array(96).fill(0.1),
      await world.encoderFor('v2'),
    );
    expect([...vectors.keys()]).toEqual(['v2', 'v1', 'v0']);
  });

  it('maps v2 queries into v0 exactly as the two stored compensators applied in turn', async () => {
    const v2 = await world.encoderFor('v2');
    const steps: Compensator[] = [
      await space.mapTo(v2, 'v1'),
      await space.mapTo(await world.encoderFor('v1'), 'v0'),
    ];
    const [query] = await v2.embedQueries(['bread oven ideas']);
    const expected = steps[1]!.map(steps[0]!.map(query!));
    const composed = (await space.mapTo(v2, 'v0')).map(query!);
    composed.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 5));
    expect(composeChain(steps).map(query!)[0]).toBeCloseTo(expected[0]!, 5);
    const viaChain = (await chainVectors(query!, v2)).get('v0')!;
    const direct = await world.index.denseSearch(unit(expected), { k: 10, encoderVersion: 'v0' });
    const searched = await world.index.denseSearch(viaChain, { k: 10, encoderVersion: 'v0' });
    expect(searched.map((hit) => hit.id)).toEqual(direct.map((hit) => hit.id));
  });

  it('holds direct forward maps from every older version and searches those rows through them', async () => {
    expect(Object.keys(world.versions.get('v2').files)).toEqual(
      expect.arrayContaining(['forward-v0.json', 'forward-v1.json']),
    );
    const v2 = await world.encoderFor('v2');
    const [query] = await v2.embedQueries(['bread oven ideas']);
    const vectors = await space.vectorsByVersion(query!, v2);
    expect(vectors.get('v2')).toBe(query);
    const forward = space.forwardFor('v0')!;
    expect(forward.toVersion).toBe('v2');
    expect([...vectors.get('v0')!]).toEqual([...forward.searchVector(query!)]);
    expect(space.forwardFor('v2')).toBeUndefined();
  });

  it('finds old notes after two updates better with compensation than without, for each merge', async () => {
    const v2 = await world.encoderFor('v2');
    const uncompensated: VectorsByVersion = async (vector) =>
      new Map(['v2', 'v1', 'v0'].map((version) => [version, vector]));
    const backgrounds = await sampleVersionVectors(world.index);
    const merges = [
      rankMerge(),
      calibratedMerge(async (version) => backgrounds.get(version)),
      rawCosineMerge(),
    ];
    const scores: Record<string, { with: number; without: number }> = {};
    for (const merge of merges) {
      scores[merge.name] = {
        with: await meanReciprocalRank(v2, chainVectors, merge),
        without: await meanReciprocalRank(v2, uncompensated, merge),
      };
    }
    const forward = await meanReciprocalRank(v2, space.vectorsByVersion, space.versionMerge);
    // A query-side map into v0's space can at best give old notes v0's own quality: v0 embedding the
    // query and searching only its own rows is the ceiling.
    const ceiling = await meanReciprocalRank(
      await world.encoderFor('v0'),
      async (vector) => new Map([['v0', vector]]),
      rankMerge(),
    );
    // Compensation wins back more than half of what two updates took from old notes: closer to the
    // ceiling than to searching without it. Measured here: ceiling 0.70; with / without: rank fusion
    // 0.45 / 0.01, calibrated 0.47 / 0.02, raw cosine 0.49 / 0.00.
    for (const merge of merges) {
      const { with: compensated, without } = scores[merge.name]!;
      expect(compensated - without).toBeGreaterThan(ceiling - compensated);
    }
    // The app's merge: every row scored in v2's space through direct forward maps (measured here:
    // 0.49 against rank fusion's 0.48).
    expect(forward).toBeGreaterThan(scores[rankMerge().name]!.with);
  });
});

/** Query-side maps through the compensator chain: how versions were searched before forward maps. */
const chainVectors: VectorsByVersion = async (vector, encoder) =>
  new Map(
    await Promise.all(
      ['v2', 'v1', 'v0'].map(
        async (version) =>
          [
            version,
            version === encoder.version ? vector : (await space.mapTo(encoder, version)).apply(vector),
          ] as const,
      ),
    ),
  );

function unit(values: Float64Array): Float32Array {
  const norm = Math.hypot(...values);
  return Float32Array.from(values, (value) => value / norm);
}
