import fs from 'node:fs/promises';
import path from 'node:path';
import { DriftlessError } from '../base/index.ts';
import { saveCompensator, type Compensator } from '../compat/index.ts';
import { fitCompensators } from '../jobs/offThread/fit.ts';
import type { Encoder } from '../encoder/index.ts';
import type { JobContext } from '../jobs/index.ts';
import { searchNotes, type SearchMode, type SearchOptions } from '../search/index.ts';
import type { NoteIndex } from '../store/index.ts';
import type { VersionManifest, VersionStore } from '../versions/index.ts';
import { readCorpus } from './corpus.ts';
import type { FeedbackLog } from '../store/index.ts';
import { keepAnchors, saveAnchorNotes, type AnchorNotes } from './anchors.ts';
import { indexChunksOf } from './gateEvidence.ts';
import { DEFAULT_FORWARD_FIT, fitForwardMaps, forwardSpace, saveForwardMaps } from './forwardMaps.ts';
import {
  DEFAULT_GATE,
  runGate,
  type GateCheck,
  type GateOptions,
  type GateVerdict,
  type NoteSearch,
} from './gate.ts';
import { planPairs, type PairOptions } from './pairs.ts';
import { mineHardNegatives } from './signals/index.ts';
import type { EncoderTrainer, TrainedCandidate, TrainingPair, TrainOptions } from './types.ts';

export const COMPENSATOR_FILE = 'compensator.json';

export interface AdaptationDeps {
  index: NoteIndex;
  versions: VersionStore;
  trainer: EncoderTrainer;
  /** The encoder of a published version (the current one is the starting point). */
  encoderFor(version: string): Promise<Encoder>;
  feedback?: FeedbackLog;
  /** The data folder's `jobs/`; training checkpoints live under it so a restart resumes. */
  jobsDir: string;
  /** How search reads the index now (the gate compares the candidate against it). */
  space: Pick<SearchOptions, 'vectorsByVersion' | 'versionMerge'>;
  /** The mode the user searches in; the gate searches the same way (default hybrid). */
  searchMode?: SearchMode;
}

export interface AdaptationOptions {
  train?: Partial<TrainOptions>;
  pairs?: Partial<PairOptions>;
  gate?: Partial<GateOptions>;
  /** Hard negatives mined per pair from the index (default 2). */
  hardNegatives?: number;
  /** Fewest training pairs worth a run (default 8). */
  minPairs?: number;
  /** Texts the compensator is fitted on at most (default 4000). */
  maxFitTexts?: number;
  /** Anchor rows per older version that forward maps are fitted on (default 1000). */
  maxAnchors?: number;
  /**
   * Whether an adopted version keeps the anchors' new vectors, re-embedding those notes (default
   * true); false leaves every older row as stored, for measuring what compensation alone does.
   */
  keepAnchors?: boolean;
}

export interface AdaptationOutcome {
  version: string;
  parent: string;
  metrics: Record<string, number>;
}

export const DEFAULT_TRAIN: TrainOptions = {
  steps: 200,
  // 20 minutes: on the 2-core machine a step of the real batch took 20 s on wasm and 35 s under
  // load (about 2 hours for 200 steps), so the budget still fits 34-60 steps there, over three
  // times the 10 worth a run, while the heavy-work thread holds the cores for minutes, not hours;
  // a GPU fits all 200. A run that is resumed keeps the total planned when it began.
  maxMinutes: 20,
  batchSize: 32,
  negativesPerPair: 2,
  temperature: 0.02,
  lq: 1,
  ld: 1,
  learningRate: 1e-4,
  weightDecay: 0,
  warmupSteps: 20,
  clipNorm: 1,
  seed: 1,
};

const DEFAULT_PAIRS: PairOptions = { seed: 1, heldOutFraction: 0.2, replayFraction: 0.1, maxOldPairs: 200 };

/**
 * One adaptation run: pairs from new notes and feedback, training from the current version,
 * a compensator to the parent, the gate, and on success a published, current new version.
 * A crash or cancel before publishing leaves the current version and the store untouched (the
 * training checkpoint stays for a resumed run); a refused candidate fails the job with the reasons.
 * @throws DriftlessError CONFLICT when there is too little to train on or the gate refuses.
 */
export async function runAdaptation(
  deps: AdaptationDeps,
  options: AdaptationOptions,
  context: JobContext,
): Promise<AdaptationOutcome> {
  const parent = deps.versions.current;
  const from = await deps.encoderFor(parent.version);
  const trainOptions = { ...DEFAULT_TRAIN, ...options.train };
  context.report({ phase: 'pairs', done: 0 });
  const plan = await buildPlan(deps, options, parent, from, context.signal);
  if (plan.train.length < (options.minPairs ?? 8))
    throw new DriftlessError(
      'CONFLICT',
      `Too few training pairs (${plan.train.length}) since ${parent.version}.`,
    );
  await context.checkpoint();
  const checkpointDir = path.join(deps.jobsDir, `adapt-from-${parent.version}`);
  const candidate = await deps.trainer.train(
    { from, pairs: plan.train, options: trainOptions, checkpointDir },
    context,
  );
  try {
    const outcome = await evaluateAndPublish(deps, options, { parent, from, candidate, plan }, context);
    await fs.rm(checkpointDir, { recursive: true, force: true });
    return outcome;
  } finally {
    await candidate.close();
  }
}

async function buildPlan(
  deps: AdaptationDeps,
  options: AdaptationOptions,
  parent: VersionManifest,
  from: Encoder,
  signal: AbortSignal,
) {
  const notes = await readCorpus(deps.index);
  const feedback = (await deps.feedback?.read({ sinceMs: parent.createdMs })) ?? [];
  const plan = await planPairs(notes, parent.version, feedback, { ...DEFAULT_PAIRS, ...options.pairs });
  const mine = (pairs: TrainingPair[]) =>
    mineHardNegatives(pairs, deps.index, from, { perPair: options.hardNegatives ?? 2 }, signal);
  return { train: await mine(plan.train), heldOut: await mine(plan.heldOut), old: plan.old };
}

interface Trained {
  parent: VersionManifest;
  from: Encoder;
  candidate: TrainedCandidate;
  plan: { train: TrainingPair[]; heldOut: TrainingPair[]; old: TrainingPair[] };
}

async function evaluateAndPublish(
  deps: AdaptationDeps,
  options: AdaptationOptions,
  trained: Trained,
  context: JobContext,
): Promise<AdaptationOutcome> {
  const { parent, from, candidate, plan } = trained;
  const encoder = await candidate.encoder();
  const version = deps.versions.nextVersion();
  context.report({ phase: 'fit-compensator', done: 0 });
  const fit = await fitCompensator(
    encoder,
    from,
    plan.train,
    { version, parent: parent.version, max: options.maxFitTexts },
    context.signal,
  );
  const forward = await fitForwardMaps(
    deps.index,
    encoder,
    {
      ...DEFAULT_FORWARD_FIT,
      maxAnchors: options.maxAnchors ?? DEFAULT_FORWARD_FIT.maxAnchors,
      toVersion: version,
    },
    context.signal,
  );
  await context.checkpoint();
  context.report({ phase: 'gate', done: 0 });
  const candidateSpace = forwardSpace(deps.index, forward.maps);
  const check = (mode: SearchMode): GateCheck => {
    const search =
      (using: Encoder, space: AdaptationDeps['space']): NoteSearch =>
      async (query, hidden, signal) =>
        (
          await searchNotes(
            deps.index,
            using,
            { query, mode, limit: 10 },
            { ...space, excludeChunkIds: hidden },
            signal,
          )
        ).hits.map((hit) => `${hit.folderId}/${hit.notePath}`);
    return { name: mode, current: search(from, deps.space), candidate: search(encoder, candidateSpace) };
  };
  const mode = deps.searchMode ?? 'hybrid';
  const verdict = await runGate(
    {
      heldOut: plan.heldOut,
      oldPairs: plan.old,
      // Judged where the encoder alone decides; the user's mode must lose nothing beyond noise.
      // Hybrid fuses dense with full text, which no version changes, and shows a real gain diluted
      // below its noise: SciFact's versions gained +0.020 and +0.029 dense MRR@10 (2.1 and 2.8
      // standard errors) on queries judged by meaning, and +0.009 and -0.001 hybrid.
      checks: [check('dense'), ...(mode === 'dense' ? [] : [check(mode)])],
      options: { ...DEFAULT_GATE, ...options.gate },
      chunksOf: indexChunksOf(deps.index),
    },
    context.signal,
  );
  const metrics = { ...verdict.metrics, compensatorQuality: fit.quality, trainPairs: plan.train.length };
  if (!verdict.passed) throw refusal(verdict, metrics);
  await context.checkpoint();
  context.report({ phase: 'publish', done: 0 });
  const published = await deps.versions.publish(async (staging) => {
    await candidate.writeVersionFiles(staging);
    await saveCompensator(path.join(staging, COMPENSATOR_FILE), fit.best);
    await saveForwardMaps(staging, forward.maps);
    if (options.keepAnchors !== false) await saveAnchorNotes(staging, forward.anchors);
    return {
      parent: parent.version,
      backboneId: parent.backboneId,
      compensator: { file: COMPENSATOR_FILE, kind: fit.best.kind, quality: fit.quality },
      metrics,
      training: { ...candidate.report },
    };
  });
  const anchorRowsKept =
    options.keepAnchors === false
      ? 0
      : await keepAnchorsOf(deps, published.version, forward.anchors, context);
  return { version: published.version, parent: parent.version, metrics: { ...metrics, anchorRowsKept } };
}

/**
 * Once published, the anchors' new vectors replace their notes' old rows. The version stands
 * whatever happens here: a cancel stops the writes between notes, and the rest is left to backfill.
 */
async function keepAnchorsOf(
  deps: AdaptationDeps,
  version: string,
  anchors: AnchorNotes,
  context: JobContext,
): Promise<number> {
  context.report({ phase: 'keep-anchors', done: 0 });
  try {
    return (await keepAnchors(deps.index, await deps.encoderFor(version), anchors, context)).chunks;
  } catch (error) {
    if (context.signal.aborted) return 0;
    throw error;
  }
}

function refusal(verdict: GateVerdict, metrics: Record<string, number>): DriftlessError {
  return new DriftlessError('CONFLICT', `Candidate not promoted: ${verdict.reasons.join('; ')}.`, {
    metrics,
  });
}

/** Fits new -> parent maps on the training queries and passages embedded by both versions. */
async function fitCompensator(
  candidate: Encoder,
  parent: Encoder,
  pairs: readonly TrainingPair[],
  names: { version: string; parent: string; max: number | undefined },
  signal: AbortSignal,
): Promise<{ best: Compensator; quality: number }> {
  const limit = names.max ?? 4000;
  const queries = [...new Set(pairs.map((pair) => pair.query))].slice(0, limit / 2);
  const passages = [...new Set(pairs.flatMap((pair) => [pair.positive, ...pair.negatives]))].slice(
    0,
    limit / 2,
  );
  const embed = async (encoder: Encoder) => [
    ...(await encoder.embedQueries(queries, signal)),
    ...(await encoder.embedDocuments(passages, signal)),
  ];
  const result = await fitCompensators(
    { newVecs: await embed(candidate), oldVecs: await embed(parent) },
    { fromVersion: names.version, toVersion: names.parent },
    signal,
  );
  return { best: result.best, quality: result.scores[result.bestKind]?.meanCosine ?? 0 };
}
