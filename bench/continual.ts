/**
 * Continual retrieval with query drift compensation (see core/eval/continual): trains the bundled
 * encoder task after task over the given BEIR datasets and compares frozen, fine-tuned, distilled,
 * compensated and re-indexed retrieval. Writes report.json, report.md and plots/*.svg to --out and
 * prints report.md; a progress bar with ETA goes to stderr.
 *
 *   node bin/run-ts.mjs bench/continual.ts [--quick] <dataset>... --out <dir> [--seed n]
 *     [--kinds mean,procrustes,lowrank,linear] [--signals labelled|self-supervised|feedback] [--steps n]
 *     [--compat w] [--cache-dir d] [--work-dir d] [--keep]
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DriftlessError } from '../core/base/index.ts';
import { FITTED_KINDS, type FittedKind } from '../core/compat/index.ts';
import { SIGNAL_SETTINGS, type SignalSetting } from '../core/eval/continual/index.ts';
import { runContinualReport } from '../core/eval/report/index.ts';
import { runMain } from './lib/workspace.ts';

const USAGE =
  'usage: bench/continual.ts [--quick] <dataset>... --out <dir> [--seed n] [--kinds list] ' +
  '[--signals labelled|self-supervised|feedback] [--steps n] [--compat w] [--cache-dir d] [--work-dir d] [--keep]';

runMain(async () => {
  const { values, positionals } = parse(process.argv.slice(2));
  if (positionals.length === 0 || !values.out) throw new DriftlessError('INVALID_ARGUMENT', USAGE);
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const { files } = await runContinualReport(
    {
      datasets: positionals.map((dir) => path.resolve(dir)),
      out: path.resolve(values.out),
      quick: values.quick,
      seed: integer(values.seed, '--seed') ?? 1,
      ...(values.kinds ? { kinds: kinds(values.kinds) } : {}),
      ...(values.signals ? { signals: signalSetting(values.signals) } : {}),
      ...(values.steps ? { steps: integer(values.steps, '--steps') } : {}),
      ...(values.compat ? { compatibility: weight(values.compat, '--compat') } : {}),
      cacheDir: path.resolve(
        values['cache-dir'] ?? path.join(os.tmpdir(), 'driftless-bench-models', 'use-lite'),
      ),
      ...(values['work-dir'] ? { workDir: path.resolve(values['work-dir']) } : {}),
      keep: values.keep,
    },
    process.stderr,
    controller.signal,
  );
  const markdown = files.find((file) => file.endsWith('report.md'));
  if (markdown) process.stdout.write(await readFile(markdown, 'utf8'));
  process.stderr.write(`[bench] wrote ${files.length} files to ${path.resolve(values.out)}\n`);
});

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        out: { type: 'string' },
        quick: { type: 'boolean', default: false },
        seed: { type: 'string' },
        kinds: { type: 'string' },
        signals: { type: 'string' },
        steps: { type: 'string' },
        compat: { type: 'string' },
        'cache-dir': { type: 'string' },
        'work-dir': { type: 'string' },
        keep: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new DriftlessError('INVALID_ARGUMENT', `${(error as Error).message}\n${USAGE}`, undefined, {
      cause: error,
    });
  }
}

function integer(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new DriftlessError('INVALID_ARGUMENT', `${flag} must be a positive integer`);
  return number;
}

function weight(value: string, flag: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0)
    throw new DriftlessError('INVALID_ARGUMENT', `${flag} must be a number ≥ 0`);
  return number;
}

function kinds(value: string): FittedKind[] {
  const list = value.split(',').map((kind) => kind.trim());
  const unknown = list.filter((kind) => !(FITTED_KINDS as readonly string[]).includes(kind));
  if (unknown.length > 0)
    throw new DriftlessError('INVALID_ARGUMENT', `--kinds: unknown ${unknown.join(', ')}`);
  return list as FittedKind[];
}

function signalSetting(value: string): SignalSetting {
  if (!(SIGNAL_SETTINGS as readonly string[]).includes(value))
    throw new DriftlessError('INVALID_ARGUMENT', `--signals must be one of ${SIGNAL_SETTINGS.join(', ')}`);
  return value as SignalSetting;
}
