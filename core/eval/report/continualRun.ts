import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FittedKind } from '../../compat/index.ts';
import { continualPreset, openRealDeps, runContinual } from '../continual/index.ts';
import type { ContinualDeps, ContinualOptions, ContinualReport, SignalSetting } from '../continual/index.ts';
import { progressBar, type ProgressStream } from './progress.ts';
import { writeContinualReport } from './writeReport.ts';

export interface ContinualRunArgs {
  datasets: readonly string[];
  out: string;
  quick: boolean;
  seed: number;
  kinds?: readonly FittedKind[];
  /** What the chains train on (default `labelled`). */
  signals?: SignalSetting;
  /** Training steps per task, overriding the preset. */
  steps?: number;
  /** The app chain's compatibility weight (`lc`), overriding the app's default. */
  compatibility?: number;
  /** Where the generated ONNX models are cached. */
  cacheDir: string;
  /** Scratch folder for indexes and checkpoints (default: a new temp folder, removed afterwards). */
  workDir?: string;
  keep?: boolean;
}

/**
 * Runs the continual benchmark with the product's encoder and trainer, a progress bar with ETA on
 * `stderr`, and writes report.json, report.md and plots into `args.out`.
 */
export async function runContinualReport(
  args: ContinualRunArgs,
  stderr: ProgressStream,
  signal?: AbortSignal,
  deps?: Omit<ContinualDeps, 'onProgress'>,
): Promise<{ report: ContinualReport; files: string[] }> {
  const workDir = args.workDir ?? (await mkdtemp(path.join(os.tmpdir(), 'driftless-continual-')));
  const options = continualOptions(args, workDir);
  const real = deps ? undefined : await openRealDeps(args.cacheDir);
  const bar = progressBar(stderr, 'continual');
  try {
    const onStage = async (partial: ContinualReport) => void (await writeContinualReport(partial, args.out));
    const report = await runContinual(
      options,
      { ...(deps ?? real!), onProgress: bar.listener, onStage },
      signal,
    );
    bar.stop();
    return { report, files: await writeContinualReport(report, args.out) };
  } finally {
    bar.stop();
    await real?.close();
    if (!args.keep && !args.workDir) await rm(workDir, { recursive: true, force: true });
  }
}

/** The preset of the run's mode with the explicit overrides applied. */
export function continualOptions(args: ContinualRunArgs, workDir: string): ContinualOptions {
  const preset = continualPreset(args.quick ? 'quick' : 'full', {
    datasets: args.datasets,
    seed: args.seed,
    workDir,
  });
  return {
    ...preset,
    ...(args.kinds ? { kinds: args.kinds } : {}),
    ...(args.signals ? { signals: args.signals } : {}),
    train: {
      ...preset.train,
      ...(args.steps ? { steps: args.steps } : {}),
      ...(args.compatibility !== undefined ? { lc: args.compatibility } : {}),
    },
  };
}
