/**
 * Where a training step's time goes, for two trainer configurations in one run: steps/s and each
 * phase's ms per step and share of the step (from `TrainReport.phaseMs`, measured inside the
 * trainer), and the current configuration's speed-up over the baseline. Every step draws pairs it
 * has not seen, so each step pays for the tokenizer and the frozen layers as the first epoch does.
 */
import path from 'node:path';
import type { TrainingPair, TrainOptions } from '../../core/adapt/types.ts';
import { createUseLiteTrainer } from '../../core/adapt/train/index.ts';
import type { TrainingBackendName } from '../../core/adapt/train/index.ts';
import { chooseTrainingBackend } from '../../core/adapt/train/backend.ts';
import type { Encoder } from '../../core/encoder/index.ts';

export interface PhaseRunSettings {
  readonly from: Encoder;
  /** batchSize × steps distinct pairs: no step repeats a text. */
  readonly pairs: TrainingPair[];
  readonly options: TrainOptions;
  readonly threads: number;
  readonly workDir: string;
}

interface PhaseSplit {
  readonly msPerStep: number;
  /** Of the step's wall time. */
  readonly share: number;
}

export interface ConfigurationResult {
  readonly backend: TrainingBackendName;
  readonly reason: string;
  readonly stepsPerSecond: number;
  readonly msPerStep: number;
  readonly phases: Record<string, PhaseSplit>;
  /** The step time no phase claims: the loop's own bookkeeping. */
  readonly untimedMsPerStep: number;
}

/** The default backend here, and the baseline: `requested`, else the next one down (wasm, or cpu where wasm is the default). */
export async function phaseBackends(
  requested: TrainingBackendName | undefined,
): Promise<{ baseline: TrainingBackendName; current: TrainingBackendName; currentReason: string }> {
  const { name: current, reason: currentReason } = await chooseTrainingBackend();
  return { baseline: requested ?? (current === 'wasm' ? 'cpu' : 'wasm'), current, currentReason };
}

export async function measureConfiguration(
  backend: TrainingBackendName,
  settings: PhaseRunSettings,
  /** Why the trainer picks this backend by default, when it does. */
  defaultReason?: string,
): Promise<ConfigurationResult> {
  const reason = defaultReason ?? (await chooseTrainingBackend([backend])).reason;
  const trainer = createUseLiteTrainer({
    cacheDir: settings.workDir,
    backends: [backend],
    threads: settings.threads,
  });
  const candidate = await trainer.train(
    {
      from: settings.from,
      pairs: settings.pairs,
      options: settings.options,
      checkpointDir: path.join(settings.workDir, `phases-${backend}`),
    },
    { signal: new AbortController().signal, report: () => {}, checkpoint: () => Promise.resolve() },
  );
  await candidate.close();
  const { msPerStep, phaseMs } = candidate.report;
  const phases: Record<string, PhaseSplit> = {};
  for (const [phase, ms] of Object.entries(phaseMs))
    phases[phase] = { msPerStep: round(ms), share: round(ms / msPerStep, 4) };
  const timed = Object.values(phaseMs).reduce((sum, ms) => sum + ms, 0);
  return {
    backend,
    reason,
    stepsPerSecond: round(1000 / msPerStep, 4),
    msPerStep: round(msPerStep),
    phases,
    untimedMsPerStep: round(msPerStep - timed),
  };
}

/** Current over baseline: steps/s ratio, and per phase baseline ms ÷ current ms (null where current spent none). */
export function speedups(
  baseline: ConfigurationResult,
  current: ConfigurationResult,
): { stepsPerSecond: number; phases: Record<string, number | null> } {
  const phases: Record<string, number | null> = {};
  for (const [phase, split] of Object.entries(current.phases)) {
    const before = baseline.phases[phase]?.msPerStep ?? 0;
    phases[phase] = split.msPerStep > 0 ? round(before / split.msPerStep) : null;
  }
  return { stepsPerSecond: round(current.stepsPerSecond / baseline.stepsPerSecond), phases };
}

function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
