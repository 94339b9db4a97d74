import path from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { dataPaths, DriftlessError, resolveDataDir } from '../../base/index.ts';
// The kinds' list, not compat's index: that brings the fitting code and ml-matrix to every start.
import { FITTED_KINDS, type FittedKind } from '../../compat/types.ts';
import type { ContinualDeps, ContinualReport } from '../../eval/continual/index.ts';
import type { CliContext } from '../context.ts';
import { interruption, type Io } from '../io.ts';
import { parseInteger } from '../parse.ts';

export interface EvalContinualOptions {
  out: string;
  quick?: boolean;
  seed?: number;
  kinds?: FittedKind[];
  steps?: number;
  workDir?: string;
  keep?: boolean;
  json?: boolean;
}

/**
 * Runs the continual-retrieval benchmark over `datasets` (BEIR folders, in task order) and writes
 * report.json, report.md and SVG plots into `--out`. Ctrl-C cancels (exit 130).
 */
export async function evalContinualCommand(
  datasets: string[],
  options: EvalContinualOptions & { cacheDir: string },
  io: Io,
  deps?: Omit<ContinualDeps, 'onProgress'>,
): Promise<ContinualReport> {
  const controller = new AbortController();
  const interrupt = interruption(io);
  void interrupt.promise.then(() => controller.abort());
  try {
    // Loaded only when the command runs: it pulls in the trainer and the index (seconds), which
    // every other command, `--help` included, should not wait for.
    const { runContinualReport, stableJson } = await import('../../eval/report/index.ts');
    const { report, files } = await runContinualReport(
      {
        datasets: datasets.map((dir) => path.resolve(dir)),
        out: path.resolve(options.out),
        quick: options.quick === true,
        seed: options.seed ?? 1,
        ...(options.kinds ? { kinds: options.kinds } : {}),
        ...(options.steps ? { steps: options.steps } : {}),
        cacheDir: options.cacheDir,
        ...(options.workDir ? { workDir: path.resolve(options.workDir) } : {}),
        keep: options.keep === true,
      },
      io.stderr,
      controller.signal,
      deps,
    );
    if (options.json) io.stdout.write(stableJson(report));
    else io.stdout.write(summaryLines(report, files));
    return report;
  } finally {
    interrupt.dispose();
  }
}

function summaryLines(report: ContinualReport, files: readonly string[]): string {
  const rows = report.methods.map((method) => {
    const summary = report.summary['per-task'][method]!;
    const final = summary.averageByStage.at(-1) ?? 0;
    const recovery = summary.recoveryRatio === null ? '' : `  recovery ${summary.recoveryRatio.toFixed(2)}`;
    return `  ${method.padEnd(20)} ${final.toFixed(4)}  forgetting ${summary.meanForgetting.toFixed(4)}${recovery}`;
  });
  return [
    `Average nDCG@10 after ${report.stages.length} tasks (per-task index):`,
    ...rows,
    `Wrote ${files.length} files to ${path.dirname(files[0] ?? '.')}`,
    '',
  ].join('\n');
}

function parseKinds(value: string): FittedKind[] {
  const kinds = value
    .split(',')
    .map((kind) => kind.trim())
    .filter(Boolean);
  const unknown = kinds.filter((kind) => !(FITTED_KINDS as readonly string[]).includes(kind));
  if (kinds.length === 0 || unknown.length > 0)
    throw new InvalidArgumentError(`Kinds must be among ${FITTED_KINDS.join(', ')}.`);
  return [...new Set(kinds)] as FittedKind[];
}

export function registerEvalContinual(parent: Command, context: CliContext): void {
  parent
    .command('continual')
    .description('continual training with query drift compensation over a sequence of BEIR datasets')
    .argument('<datasets...>', 'dataset folders in BEIR layout, in task order')
    .requiredOption('--out <dir>', 'folder for report.json, report.md and plots/')
    .option('--quick', 'subsample (300 docs, 50 train and 50 test queries per task) and train briefly')
    .option('--seed <n>', 'seed of sampling, training and fitting', parseInteger)
    .option('--kinds <list>', `compensator kinds (default ${FITTED_KINDS.join(',')})`, parseKinds)
    .option('--steps <n>', 'training steps per task (overrides the preset)', parseInteger)
    .option('--work-dir <dir>', 'scratch folder for indexes and checkpoints (default: a temp folder)')
    .option('--keep', 'keep the scratch folder')
    .option('--json', 'print report.json on stdout')
    .action(async (datasets: string[], options: EvalContinualOptions, command: Command) => {
      if (datasets.length === 0)
        throw new DriftlessError('INVALID_ARGUMENT', 'Give at least one dataset folder.');
      const { dataDir } = command.optsWithGlobals<{ dataDir?: string }>();
      const cacheDir = path.join(dataPaths(resolveDataDir(dataDir)).models, 'use-lite');
      await evalContinualCommand(datasets, { ...options, cacheDir }, context.io);
    });
}
