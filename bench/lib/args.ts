import path from 'node:path';
import { parseArgs } from 'node:util';
import { DriftlessError } from '../../core/base/index.ts';

export type SearchMode = 'text' | 'dense' | 'hybrid';
export type ExcludeSelf = 'auto' | 'on' | 'off';

const MODES: readonly SearchMode[] = ['text', 'dense', 'hybrid'];

export interface RetrievalArgs {
  datasetDir: string;
  split: string;
  modes: SearchMode[];
  limitQueries?: number;
  dataDir?: string;
  notesDir?: string;
  out?: string;
  excludeSelf: ExcludeSelf;
  keep: boolean;
}

export interface IndexArgs {
  datasetDir: string;
  syntheticChunks: number;
  /** Write the synthetic chunks straight into the index (random vectors) instead of importing notes. */
  syntheticRows: boolean;
  sectionsPerNote: number;
  querySample: number;
  dataDir?: string;
  notesDir?: string;
  out?: string;
  keep: boolean;
}

export const RETRIEVAL_USAGE =
  'usage: bench:retrieval -- <dataset folder> [--split test] [--modes text,dense,hybrid] [--limit-queries n] ' +
  '[--exclude-self auto|on|off] [--data-dir d] [--notes-dir d] [--out file.json] [--keep]';

export const INDEX_USAGE =
  'usage: bench:index -- <dataset folder> [--synthetic-chunks 100000] [--synthetic-rows] [--sections-per-note 20] ' +
  '[--query-sample 100] [--data-dir d] [--notes-dir d] [--out file.json] [--keep]';

const common = {
  'data-dir': { type: 'string' },
  'notes-dir': { type: 'string' },
  out: { type: 'string' },
  keep: { type: 'boolean', default: false },
} as const;

/** Parses `bench:retrieval` arguments. @throws DriftlessError INVALID_ARGUMENT with the usage line. */
export function parseRetrievalArgs(argv: readonly string[]): RetrievalArgs {
  const { values, positionals } = parse(argv, RETRIEVAL_USAGE, {
    ...common,
    split: { type: 'string', default: 'test' },
    modes: { type: 'string', default: MODES.join(',') },
    'limit-queries': { type: 'string' },
    'exclude-self': { type: 'string', default: 'auto' },
  });
  return {
    datasetDir: datasetDir(positionals, RETRIEVAL_USAGE),
    split: values.split,
    modes: parseModes(values.modes),
    limitQueries: optionalInt(values['limit-queries'], '--limit-queries', 1),
    ...paths(values),
    excludeSelf: oneOf(values['exclude-self'], ['auto', 'on', 'off'] as const, '--exclude-self'),
    keep: values.keep,
  };
}

/** Parses `bench:index` arguments. @throws DriftlessError INVALID_ARGUMENT with the usage line. */
export function parseIndexArgs(argv: readonly string[]): IndexArgs {
  const { values, positionals } = parse(argv, INDEX_USAGE, {
    ...common,
    'synthetic-chunks': { type: 'string', default: '0' },
    'synthetic-rows': { type: 'boolean', default: false },
    'sections-per-note': { type: 'string', default: '20' },
    'query-sample': { type: 'string', default: '100' },
  });
  return {
    datasetDir: datasetDir(positionals, INDEX_USAGE),
    syntheticChunks: optionalInt(values['synthetic-chunks'], '--synthetic-chunks', 0) ?? 0,
    syntheticRows: values['synthetic-rows'],
    sectionsPerNote: optionalInt(values['sections-per-note'], '--sections-per-note', 1) ?? 20,
    querySample: optionalInt(values['query-sample'], '--query-sample', 1) ?? 100,
    ...paths(values),
    keep: values.keep,
  };
}

type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

function parse<O extends Options>(argv: readonly string[], usage: string, options: O) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DriftlessError('INVALID_ARGUMENT', `${reason}\n${usage}`, undefined, { cause: error });
  }
}

function datasetDir(positionals: string[], usage: string): string {
  if (positionals.length !== 1 || !positionals[0]) {
    throw new DriftlessError(
      'INVALID_ARGUMENT',
      `Expected one dataset folder, got ${positionals.length}\n${usage}`,
    );
  }
  return path.resolve(positionals[0]);
}

function paths(values: { 'data-dir'?: string; 'notes-dir'?: string; out?: string }) {
  const resolve = (value: string | undefined) => (value === undefined ? undefined : path.resolve(value));
  return {
    dataDir: resolve(values['data-dir']),
    notesDir: resolve(values['notes-dir']),
    out: resolve(values.out),
  };
}

/** Comma-separated modes, each once, in the order given. */
export function parseModes(text: string): SearchMode[] {
  const modes = text
    .split(',')
    .map((mode) => mode.trim())
    .filter(Boolean);
  if (modes.length === 0) throw new DriftlessError('INVALID_ARGUMENT', '--modes needs at least one mode');
  return [...new Set(modes.map((mode) => oneOf(mode, MODES, '--modes')))];
}

function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new DriftlessError('INVALID_ARGUMENT', `${flag}: '${value}' is not one of ${allowed.join(', ')}`);
}

function optionalInt(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value.replaceAll('_', ''));
  if (!Number.isInteger(number) || number < min) {
    throw new DriftlessError('INVALID_ARGUMENT', `${flag} must be an integer >= ${min}, got '${value}'`);
  }
  return number;
}
