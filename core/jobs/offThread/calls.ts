import type { SerializedError } from '../../base/index.ts';
import type { AnchorCorrectionParams } from '../../compat/anchorCorrection.ts';
import type { CompensatorSpec, FitOptions } from '../../compat/types.ts';
import type { FitResult } from '../../compat/fitCompensators.ts';
import type { TrainingPair, TrainOptions, TrainReport } from '../../adapt/types.ts';
import type { PackedVectors } from './protocol.ts';

/** How the heavy-work thread opens an encoder on its own: the bundled v0 or a published version folder. */
export type EncoderSource =
  | { kind: 'bundled'; cacheDir: string }
  | { kind: 'version'; dir: string; version: string };

/** An encoder held by the heavy-work thread, as the app's thread sees it. */
export interface EncoderInfo {
  handle: number;
  backboneId: string;
  version: string;
  dimensions: number;
  maxTokens: number;
}

/** The `from` encoder of a training call: held there already, opened there, or asked of the app thread. */
export type FromRef =
  | { handle: number }
  | { source: EncoderSource }
  | {
      remote: {
        backboneId: string;
        version: string;
        dimensions: number;
        maxTokens: number;
        trainable: boolean;
      };
    };

/** The trainer settings that cross threads (UseLiteTrainerOptions without callbacks). */
export interface TrainSettings {
  cacheDir: string;
  checkpointEvery?: number;
  backends?: readonly ('tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu')[];
  chunkTokens?: number;
  threads?: number;
}

export interface TrainCall {
  from: FromRef;
  pairs: TrainingPair[];
  options: TrainOptions;
  checkpointDir: string;
  settings: TrainSettings;
}

export interface CandidateInfo {
  handle: number;
  report: TrainReport & Record<string, unknown>;
}

export interface FitCall {
  newVecs: PackedVectors;
  oldVecs: PackedVectors;
  options: Omit<FitOptions, 'onProgress'>;
  /** Whether the caller listens to progress. */
  progress: boolean;
}

export type FitReply = Omit<FitResult, 'best'> & { best: CompensatorSpec };

export interface FitForwardCall {
  stored: PackedVectors;
  current: PackedVectors;
  notes: string[];
  options: Omit<FitOptions, 'onProgress'> & { fromVersion: string; toVersion: string };
}

/** A forward map as it crosses threads: the affine part's spec and the correction's parameters. */
export interface FitForwardReply {
  best: CompensatorSpec;
  correction?: AnchorCorrectionParams;
}

/** One note to parse: its path picks the format, `content` is its (indexed) source text. */
export interface ParseCall {
  relPath: string;
  content: string;
}

export type { SerializedError };
