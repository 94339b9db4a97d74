import { promises as fs, type Dirent, type Stats } from 'node:fs';
import path from 'node:path';
import { DriftlessError, throwIfAborted } from '../base/index.ts';
import { noteFormats, type NoteFormats } from './formats/index.ts';
import { IgnoreRules } from './ignoreRules.ts';
import type { ScanEntry, ScanOptions, SkipReason } from './types.ts';

const DEFAULT_MAX_DEPTH = 32;

interface Folder {
  abs: string;
  rel: string;
  depth: number;
  /** dev:ino of this folder and every folder above it, to recognise a link back up the tree. */
  ancestors: ReadonlySet<string>;
}

interface Walk {
  rootReal: string;
  rules: IgnoreRules;
  formats: NoteFormats;
  maxDepth: number;
  /** Every folder scanned so far, so two links to one folder do not index it twice. */
  visited: Set<string>;
  signal: AbortSignal | undefined;
}

/** An entry after following links; 'passed' carries the report, if any, for an entry not scanned. */
type EntryKind =
  | { kind: 'file'; stats: Stats }
  | { kind: 'folder'; stats: Stats }
  | { kind: 'other' }
  | { kind: 'passed'; skip?: ScanEntry };
type Passed = Extract<EntryKind, { kind: 'passed' }>;
const PASS: Passed = { kind: 'passed' };

/**
 * Walks a folder and yields every note file (by extension) plus every file or folder that had to be
 * passed over, with the reason. Ignored paths and other file types are passed over silently.
 * Symbolic links are followed when they stay inside the root; loops are detected.
 * @throws DriftlessError NOT_FOUND when the root does not exist, INVALID_ARGUMENT when it is not a
 *   folder, CANCELLED when `signal` fires.
 */
export async function* scanFolder(
  root: string,
  options: ScanOptions = {},
  signal?: AbortSignal,
): AsyncGenerator<ScanEntry> {
  const rootStats = await statRoot(root);
  const rootAbs = path.resolve(root);
  const walk: Walk = {
    rootReal: await fs.realpath(rootAbs),
    rules: new IgnoreRules(rootAbs, options),
    formats: options.formats ?? noteFormats,
    maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
    visited: new Set([inodeKey(rootStats)]),
    signal,
  };
  const stack: Folder[] = [{ abs: rootAbs, rel: '', depth: 0, ancestors: new Set([inodeKey(rootStats)]) }];
  while (stack.length > 0) {
    const folder = stack.pop()!;
    const subfolders: Folder[] = [];
    yield* scanOneFolder(walk, folder, subfolders);
    stack.push(...subfolders.reverse());
  }
}

async function statRoot(root: string): Promise<Stats> {
  let stats: Stats;
  try {
    stats = await fs.stat(root);
  } catch (error) {
    throw new DriftlessError(
      'NOT_FOUND',
      `The folder does not exist or cannot be read: ${root}`,
      { root },
      { cause: error },
    );
  }
  if (!stats.isDirectory()) throw new DriftlessError('INVALID_ARGUMENT', `Not a folder: ${root}`, { root });
  return stats;
}

async function* scanOneFolder(walk: Walk, folder: Folder, subfolders: Folder[]): AsyncGenerator<ScanEntry> {
  throwIfAborted(walk.signal);
  let entries: Dirent[];
  try {
    await walk.rules.loadFolder(folder.rel);
    entries = await readFolder(folder.abs);
  } catch (error) {
    yield skipped(
      folder.rel || '.',
      reasonFor(error),
      `The folder could not be listed (${errorCode(error)}).`,
    );
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    throwIfAborted(walk.signal);
    const rel = folder.rel ? `${folder.rel}/${entry.name}` : entry.name;
    const abs = path.join(folder.abs, entry.name);
    const isNote = walk.formats.forPath(entry.name) !== undefined;
    if (!entry.isDirectory() && !entry.isSymbolicLink() && !isNote) continue;
    if (!entry.isSymbolicLink() && walk.rules.ignores(rel, entry.isDirectory())) continue;
    if (INVALID_NAMES.has(entry)) {
      yield skipped(rel, 'invalid-name', INVALID_NAME_MESSAGE);
      continue;
    }
    const kind = await entryKind(walk, entry, abs, rel, isNote);
    if (kind.kind === 'passed' && kind.skip) yield kind.skip;
    if (kind.kind === 'file' && isNote)
      yield { kind: 'file', relPath: rel, absPath: abs, size: kind.stats.size, mtimeMs: kind.stats.mtimeMs };
    if (kind.kind === 'folder') {
      const next = nextFolder(walk, folder, abs, rel, kind.stats);
      if ('abs' in next) subfolders.push(next);
      else if (next.skip) yield next.skip;
    }
  }
}

/** Entries whose name on disk is not valid UTF-8 (their `name` shows the bad bytes as U+FFFD). */
const INVALID_NAMES = new WeakSet<Dirent>();
const INVALID_NAME_MESSAGE =
  'The name is not valid UTF-8 (shown with \uFFFD for the bad bytes), so it cannot be indexed or opened by name; rename it to index it.';

/**
 * A folder's entries with their names decoded from the raw bytes: a name that is not valid UTF-8
 * (written by another system or an old encoding) would otherwise come back with U+FFFD in place of
 * its bad bytes, a path that does not exist, and be reported as removed during the scan.
 */
async function readFolder(dir: string): Promise<Dirent[]> {
  const raw = await fs.readdir(dir, { withFileTypes: true, encoding: 'buffer' });
  return raw.map((entry) => {
    const bytes = entry.name as unknown as Buffer;
    const named = Object.assign(entry, { name: bytes.toString('utf8') }) as unknown as Dirent;
    if (!Buffer.from(named.name, 'utf8').equals(bytes)) INVALID_NAMES.add(named);
    return named;
  });
}

/** What an entry is after following a link, or why it is passed over. */
async function entryKind(
  walk: Walk,
  entry: Dirent,
  abs: string,
  rel: string,
  isNote: boolean,
): Promise<EntryKind> {
  let stats: Stats;
  try {
    stats = await fs.stat(abs);
  } catch (error) {
    const code = errorCode(error);
    if (entry.isSymbolicLink() && code === 'ENOENT') {
      return isNote
        ? {
            kind: 'passed',
            skip: skipped(rel, 'unreadable', 'Broken symbolic link: its target does not exist.'),
          }
        : PASS;
    }
    return { kind: 'passed', skip: skipped(rel, reasonFor(error), messageFor(error)) };
  }
  const kind: EntryKind = stats.isDirectory()
    ? { kind: 'folder', stats }
    : stats.isFile()
      ? { kind: 'file', stats }
      : { kind: 'other' };
  if (!entry.isSymbolicLink() || kind.kind === 'other') return kind;
  if (kind.kind === 'file' && !isNote) return PASS;
  if (walk.rules.ignores(rel, kind.kind === 'folder')) return PASS;
  return checkLinkTarget(walk, abs, rel, kind);
}

async function checkLinkTarget(walk: Walk, abs: string, rel: string, kind: EntryKind): Promise<EntryKind> {
  let target: string;
  try {
    target = await fs.realpath(abs);
  } catch (error) {
    return { kind: 'passed', skip: skipped(rel, reasonFor(error), messageFor(error)) };
  }
  if (target !== walk.rootReal && !target.startsWith(walk.rootReal + path.sep)) {
    const message = `Symbolic link points outside the folder (to ${target}); it is not followed.`;
    return { kind: 'passed', skip: skipped(rel, 'outside-root', message) };
  }
  return kind;
}

function nextFolder(walk: Walk, parent: Folder, abs: string, rel: string, stats: Stats): Folder | Passed {
  const key = inodeKey(stats);
  if (parent.ancestors.has(key)) {
    return {
      kind: 'passed',
      skip: skipped(rel, 'symlink-loop', 'Symbolic link loop: the link points back to a folder above it.'),
    };
  }
  if (walk.visited.has(key)) return PASS;
  const depth = parent.depth + 1;
  if (depth > walk.maxDepth) {
    return {
      kind: 'passed',
      skip: skipped(rel, 'too-deep', `Folder nested deeper than ${walk.maxDepth} levels; not scanned.`),
    };
  }
  walk.visited.add(key);
  return { abs, rel, depth, ancestors: new Set([...parent.ancestors, key]) };
}

function inodeKey(stats: Stats): string {
  return `${stats.dev}:${stats.ino}`;
}

function skipped(relPath: string, reason: SkipReason, message: string): ScanEntry {
  return { kind: 'skipped', path: relPath, reason, message };
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? 'unknown error';
}

function reasonFor(error: unknown): SkipReason {
  const code = errorCode(error);
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'vanished';
  if (code === 'ELOOP') return 'symlink-loop';
  return 'unreadable';
}

function messageFor(error: unknown): string {
  switch (reasonFor(error)) {
    case 'vanished':
      return 'Removed while the folder was being scanned.';
    case 'symlink-loop':
      return 'Symbolic link loop: the link resolves to itself.';
    default:
      return `Could not be read (${errorCode(error)}).`;
  }
}
