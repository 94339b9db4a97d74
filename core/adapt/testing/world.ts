import path from 'node:path';
import type { Encoder } from '../../encoder/index.ts';
import { NoteIndex } from '../../store/index.ts';
import { makeNoteWrites, makeTempDir, type NoteSpec } from '../../testing/index.ts';
import { VersionSearchSpace } from '../../versionSearch/index.ts';
import { VersionStore } from '../../versions/index.ts';
import type { AdaptationDeps, AdaptationOptions } from '../adaptJob.ts';
import { loadForwardMaps } from '../forwardMaps.ts';
import type { EncoderTrainer } from '../types.ts';
import { LinearEncoder, loadLinearEncoder } from './linearEncoder.ts';
import { LinearTrainer } from './linearTrainer.ts';

export const FIXTURE_DIMS = 96;

/** Adaptation settings under which the linear fixture learns the topic notes' vocabulary gap. */
export const FIXTURE_ADAPTATION: AdaptationOptions = {
  train: { steps: 20, batchSize: 16, learningRate: 1, lq: 0.05, ld: 0.05, seed: 3 },
  pairs: {
    seed: 3,
    heldOutFraction: 0.25,
    replayFraction: 0.1,
    maxOldPairs: 100,
    selfSupervised: { sentencesPerNote: 0, cropsPerNote: 1, maxPassageChars: 1500 },
  },
  // Fifteen held-out queries over 36 notes: the fixture's real but small gain is within one
  // standard error, so the noise margin (tested in gate.test.ts) is off here.
  gate: { minStdErrors: 0 },
};

/**
 * TEST FIXTURE. Adaptation that publishes whatever it trains: for tests of what happens with
 * versions (search across them, rollback, backfill), not of the gate's judgement (adaptJob.test.ts).
 */
export const FIXTURE_ADAPTATION_PROMOTING: AdaptationOptions = {
  ...FIXTURE_ADAPTATION,
  gate: { minGain: -1, minStdErrors: 0, maxLossInOtherModes: 1 },
};

/** TEST FIXTURE. What an app needs to run on the linear fixture encoder and trainer. */
export interface LinearAppOptions {
  dimensions: number;
  backboneId: string;
  loadEncoder: () => Promise<Encoder>;
  loadVersionEncoder: (versionDir: string, version: string) => Promise<Encoder>;
  trainer: EncoderTrainer;
  adaptation: AdaptationOptions;
}

/**
 * TEST FIXTURE. App options with the linear fixture encoder and trainer standing in for USE-lite and
 * tfjs. Adaptation publishes what it trains unless told otherwise: app tests are about what versions
 * do; the gate's judgement is tested with `FIXTURE_ADAPTATION`.
 */
export function linearAppOptions(
  trainer: EncoderTrainer = new LinearTrainer(),
  adaptation: AdaptationOptions = FIXTURE_ADAPTATION_PROMOTING,
): LinearAppOptions {
  return {
    dimensions: FIXTURE_DIMS,
    backboneId: 'feature-hashing',
    loadEncoder: async () => new LinearEncoder(FIXTURE_DIMS, 'v0'),
    loadVersionEncoder: loadLinearEncoder,
    trainer,
    adaptation,
  };
}

/** TEST FIXTURE. A data folder with a real LanceDB index, a version store and the linear fixture encoder. */
export interface AdaptWorld {
  dir: string;
  index: NoteIndex;
  versions: VersionStore;
  encoderFor(version: string): Promise<Encoder>;
  deps(trainer?: EncoderTrainer): AdaptationDeps;
  /** Indexes notes with the given version's encoder. */
  write(specs: NoteSpec[], version: string): Promise<void>;
  close(): Promise<void>;
}

export async function openAdaptWorld(): Promise<AdaptWorld> {
  const temp = await makeTempDir('driftless-adapt-');
  const index = await NoteIndex.open(path.join(temp.dir, 'index'), { dimensions: FIXTURE_DIMS });
  const versions = await VersionStore.open(path.join(temp.dir, 'versions'), 'feature-hashing');
  const encoderFor = async (version: string): Promise<Encoder> =>
    version === 'v0'
      ? new LinearEncoder(FIXTURE_DIMS, 'v0')
      : loadLinearEncoder(path.join(versions.dir, version), version);
  return {
    dir: temp.dir,
    index,
    versions,
    encoderFor,
    deps: (trainer = new LinearTrainer()) => {
      const space = new VersionSearchSpace(versions, index, loadForwardMaps);
      return {
        index,
        versions,
        trainer,
        encoderFor,
        jobsDir: path.join(temp.dir, 'jobs'),
        space: { vectorsByVersion: space.vectorsByVersion, versionMerge: space.versionMerge },
        // The fixture's notes are found by their own words in full text; what training changes shows
        // in dense search, so the gate judges the fixture the way a user of semantic search would.
        searchMode: 'dense' as const,
      };
    },
    write: async (specs, version) => index.writeNotes(await makeNoteWrites(await encoderFor(version), specs)),
    close: async () => {
      await index.close();
      await temp.remove();
    },
  };
}
