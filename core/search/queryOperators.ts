import { DriftlessError } from '../base/index.ts';
import { compileGlob } from '../base/glob.ts';
import type { SearchFilters } from './filters.ts';
import type { QueryChip } from './hits.ts';

/** What the operators of one query add up to; `folders` are names or ids, resolved by the caller. */
export interface OperatorState {
  filters: SearchFilters;
  folders: string[];
  chips: QueryChip[];
  problems: string[];
}

export const OPERATOR_KEYS = ['tag', 'folder', 'path', 'after', 'before'] as const;
type OperatorKey = (typeof OPERATOR_KEYS)[number];

export function isOperatorKey(key: string): key is OperatorKey {
  return (OPERATOR_KEYS as readonly string[]).includes(key.toLowerCase());
}

const DAY = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/**
 * The local-midnight bounds of a day, month or year written YYYY-MM-DD, YYYY-MM or YYYY: its first
 * moment and the first moment after it. Undefined when it is no such date (2024-02-30 included).
 */
export function periodBounds(value: string): { startMs: number; endMs: number } | undefined {
  const match = DAY.exec(value);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = match[2] === undefined ? undefined : Number(match[2]) - 1;
  const day = match[3] === undefined ? undefined : Number(match[3]);
  const start = new Date(year, month ?? 0, day ?? 1);
  if (start.getFullYear() !== year || start.getMonth() !== (month ?? 0) || start.getDate() !== (day ?? 1))
    return undefined;
  const end = new Date(start);
  if (day !== undefined) end.setDate(end.getDate() + 1);
  else if (month !== undefined) end.setMonth(end.getMonth() + 1);
  else end.setFullYear(end.getFullYear() + 1);
  return { startMs: start.getTime(), endMs: end.getTime() };
}

const GLOB_CHARS = /[*?[\]{}\\]/;

/** Why a path pattern cannot work, in words; undefined when it is fine. */
function globProblem(glob: string): string | undefined {
  let square = false;
  let curly = 0;
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i];
    if (char === '\\') {
      if (i === glob.length - 1) return 'it ends with a “\\” that escapes nothing';
      i++;
    } else if (square) square = char !== ']';
    else if (char === '[') square = true;
    else if (char === '{') curly++;
    else if (char === '}' && --curly < 0) return 'it closes a “}” that was never opened';
  }
  if (square) return 'a “[” is never closed with “]”';
  if (curly > 0) return 'a “{” is never closed with “}”';
  try {
    compileGlob(glob);
  } catch (error) {
    if (error instanceof DriftlessError) return error.message.replace(/\.$/, '').toLowerCase();
    throw error;
  }
  return undefined;
}

/**
 * A path without glob characters means that folder (or that one note): `conv30` and `conv30/`
 * become `{conv30,conv30/**}`. A glob is taken as written.
 */
export function pathToGlob(value: string): string {
  if (GLOB_CHARS.test(value)) return value;
  const folder = value.replace(/^\.?\/+/, '').replace(/\/+$/, '');
  return `{${folder},${folder}/**}`;
}

function applyPath(state: OperatorState, value: string): void {
  const glob = pathToGlob(value);
  const problem = globProblem(glob);
  if (problem) {
    state.problems.push(`path:${value} is not a path pattern we can use: ${problem}.`);
    return;
  }
  state.filters.pathGlob = glob;
  state.chips.push({ kind: 'path', label: GLOB_CHARS.test(value) ? `path ${value}` : `in ${value}/` });
}

function applyDate(state: OperatorState, key: 'after' | 'before', value: string): void {
  const bounds = periodBounds(value);
  if (!bounds) {
    state.problems.push(
      `${key}:${value} is not a date: write a day as YYYY-MM-DD (${key}:2024-05-01), or a month or year (${key}:2024-05, ${key}:2024).`,
    );
    return;
  }
  // "after" a day means from the next day on; "before" a day ends before it starts.
  if (key === 'after') state.filters.modifiedAfterMs = bounds.endMs;
  else state.filters.modifiedBeforeMs = bounds.startMs;
  state.chips.push({ kind: key, label: `${key} ${value}` });
}

/** Applies one `key:value` operator (the key is one of OPERATOR_KEYS); problems are recorded, not thrown. */
export function applyOperator(state: OperatorState, key: string, value: string): void {
  const name = key.toLowerCase() as OperatorKey;
  if (!value) {
    state.problems.push(`${name}: needs a value, such as ${EXAMPLES[name]}.`);
    return;
  }
  switch (name) {
    case 'tag': {
      const tag = value.replace(/^#/, '');
      state.filters.tags = [...(state.filters.tags ?? []), tag];
      state.chips.push({ kind: 'tag', label: `#${tag}` });
      return;
    }
    case 'folder':
      state.folders.push(value);
      state.chips.push({ kind: 'folder', label: `folder ${value}` });
      return;
    case 'path':
      return applyPath(state, value);
    case 'after':
    case 'before':
      return applyDate(state, name, value);
  }
}

const EXAMPLES: Record<OperatorKey, string> = {
  tag: 'tag:work',
  folder: 'folder:journal',
  path: 'path:projects or path:"My Notes/**/*.md"',
  after: 'after:2024-05-01',
  before: 'before:2024-05-01',
};
