import path from 'node:path';
import { parseArgs } from 'node:util';
import { DriftlessError } from '../../core/base/index.ts';

export interface LoadArgs {
  /** Synthetic chunks written straight into the index before the load starts. */
  chunks: number;
  minutes: number;
  /** Searcher processes (each one app, searching back to back). */
  searchers: number;
  /** Length of a latency window in seconds (default: a tenth of the run, at least 10 s). */
  windowSeconds: number;
  /** Notes the writer imports per round (each round: an adaptation, then an import). */
  notesPerRound: number;
  dataDir?: string;
  out?: string;
  keep: boolean;
}

export const LOAD_USAGE =
  'usage: bench:load -- [--chunks 200000] [--minutes 10] [--searchers 2] [--window-seconds s] ' +
  '[--notes-per-round 30] [--data-dir d] [--out file.json] [--keep]';

/** Parses `bench:load` arguments. @throws DriftlessError INVALID_ARGUMENT with the usage line. */
export function parseLoadArgs(argv: readonly string[]): LoadArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        chunks: { type: 'string', default: '200000' },
        minutes: { type: 'string', default: '10' },
        searchers: { type: 'string', default: '2' },
        'window-seconds': { type: 'string' },
        'notes-per-round': { type: 'string', default: '30' },
        'data-dir': { type: 'string' },
        out: { type: 'string' },
        keep: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new DriftlessError('INVALID_ARGUMENT', `${(error as Error).message}\n${LOAD_USAGE}`);
  }
  const minutes = positive(values.minutes, '--minutes');
  return {
    chunks: Math.round(positive(values.chunks, '--chunks')),
    minutes,
    searchers: Math.round(positive(values.searchers, '--searchers')),
    windowSeconds: values['window-seconds']
      ? positive(values['window-seconds'], '--window-seconds')
      : Math.max(10, (minutes * 60) / 10),
    notesPerRound: Math.round(positive(values['notes-per-round'], '--notes-per-round')),
    dataDir: values['data-dir'] === undefined ? undefined : path.resolve(values['data-dir']),
    out: values.out === undefined ? undefined : path.resolve(values.out),
    keep: values.keep,
  };
}

function positive(value: string, flag: string): number {
  const number = Number(value.replaceAll('_', ''));
  if (!Number.isFinite(number) || number <= 0)
    throw new DriftlessError(
      'INVALID_ARGUMENT',
      `${flag} must be a positive number, got '${value}'\n${LOAD_USAGE}`,
    );
  return number;
}
