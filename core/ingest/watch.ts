import { promises as fs, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { DriftlessError } from '../base/index.ts';
import { noteFormats, type NoteFormats } from './formats/index.ts';
import { IGNORE_FILE_NAMES, IgnoreRules } from './ignoreRules.ts';
import type { FolderChanges, ScanOptions } from './types.ts';

export interface WatchOptions extends Pick<ScanOptions, 'ignore' | 'includeHidden' | 'maxDepth' | 'formats'> {
  /** Quiet time before a batch is delivered (default 300 ms); a busy folder still flushes every 10 of these. */
  debounceMs?: number;
  /** Told when watching fails: NOT_FOUND once the folder itself is removed, IO for other watch errors. */
  onError?: (error: DriftlessError) => void;
}

export interface FolderWatcher {
  /** Resolves once the initial walk is done and later changes are seen. */
  readonly ready: Promise<void>;
  /** Stops watching; pending, undelivered changes are dropped. Safe to call more than once. */
  close(): Promise<void>;
}

const DEFAULT_DEBOUNCE_MS = 300;

/**
 * Watches a folder for added, changed and removed note files, with the same ignore rules as
 * scanFolder, and delivers them in debounced batches of relative POSIX paths.
 */
export function watchFolder(
  root: string,
  options: WatchOptions,
  onChange: (changes: FolderChanges) => void,
): FolderWatcher {
  const rootAbs = path.resolve(root);
  const rules = new IgnoreRules(rootAbs, options);
  const formats = options.formats ?? noteFormats;
  const batch = new ChangeBatch(rootAbs, options, onChange);
  const watcher: FSWatcher = watch(rootAbs, {
    ignoreInitial: true,
    followSymlinks: false,
    depth: options.maxDepth ?? 32,
    ignored: (file: string, stats?: Stats) => isIgnored(rules, formats, rootAbs, file, stats),
  });
  const onFile = (kind: 'changed' | 'removed') => (file: string) => {
    const rel = toRelative(rootAbs, file);
    if (IGNORE_FILE_NAMES.includes(path.posix.basename(rel)))
      rules.forgetFolder(path.posix.dirname(rel).replace(/^\.$/, ''));
    else if (formats.forPath(rel)) batch.add(rel, kind);
  };
  watcher.on('add', onFile('changed')).on('change', onFile('changed')).on('unlink', onFile('removed'));
  watcher.on('unlinkDir', () => batch.checkRootSoon());
  watcher.on('error', (error) =>
    batch.fail(new DriftlessError('IO', `Watching ${rootAbs} failed.`, { root: rootAbs }, { cause: error })),
  );
  const ready = new Promise<void>((resolve) =>
    watcher.once('ready', () => {
      resolve();
      // A root missing from the start produces no events at all; say so once.
      batch.checkRootSoon();
    }),
  );
  let closed: Promise<void> | undefined;
  return {
    ready,
    close: () => (closed ??= (batch.stop(), watcher.close())),
  };
}

function isIgnored(
  rules: IgnoreRules,
  formats: NoteFormats,
  rootAbs: string,
  file: string,
  stats: Stats | undefined,
): boolean {
  const rel = toRelative(rootAbs, file);
  if (!rel || rel.startsWith('../')) return false;
  const name = path.posix.basename(rel);
  // Ignore files are watched (to refresh rules) even where dot-files are otherwise passed over.
  if (IGNORE_FILE_NAMES.includes(name)) return false;
  const isFolder = stats ? stats.isDirectory() : isFolderNow(file);
  if (!isFolder && !formats.forPath(name)) return true;
  return rules.ignores(rel, isFolder);
}

function isFolderNow(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

function toRelative(rootAbs: string, file: string): string {
  return path.relative(rootAbs, path.resolve(rootAbs, file)).split(path.sep).join('/');
}

/** Collects changes and delivers them after a quiet period; the last event for a path wins. */
class ChangeBatch {
  readonly #pending = new Map<string, 'changed' | 'removed'>();
  readonly #debounceMs: number;
  #timer: NodeJS.Timeout | undefined;
  #firstPendingAt = 0;
  #checkRoot = false;
  #rootReported = false;
  #stopped = false;
  readonly #rootAbs: string;
  readonly #onError: WatchOptions['onError'];
  readonly #onChange: (changes: FolderChanges) => void;

  constructor(rootAbs: string, options: WatchOptions, onChange: (changes: FolderChanges) => void) {
    this.#rootAbs = rootAbs;
    this.#onError = options.onError;
    this.#onChange = onChange;
    this.#debounceMs = Math.max(0, options.debounceMs ?? DEFAULT_DEBOUNCE_MS);
  }

  add(rel: string, kind: 'changed' | 'removed'): void {
    this.#pending.set(rel, kind);
    if (kind === 'removed') this.#checkRoot = true;
    this.#schedule();
  }

  checkRootSoon(): void {
    this.#checkRoot = true;
    this.#schedule();
  }

  fail(error: DriftlessError): void {
    if (!this.#stopped) this.#onError?.(error);
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#pending.clear();
  }

  #schedule(): void {
    if (this.#stopped) return;
    const now = Date.now();
    if (!this.#timer) this.#firstPendingAt = now;
    clearTimeout(this.#timer);
    const waited = now - this.#firstPendingAt;
    const delay = Math.max(0, Math.min(this.#debounceMs, this.#debounceMs * 10 - waited));
    this.#timer = setTimeout(() => void this.#flush(), delay);
  }

  async #flush(): Promise<void> {
    this.#timer = undefined;
    const entries = [...this.#pending].sort(([a], [b]) => (a < b ? -1 : 1));
    this.#pending.clear();
    const changes: FolderChanges = {
      changed: entries.filter(([, kind]) => kind === 'changed').map(([rel]) => rel),
      removed: entries.filter(([, kind]) => kind === 'removed').map(([rel]) => rel),
    };
    if (changes.changed.length + changes.removed.length > 0) this.#deliver(changes);
    if (this.#checkRoot) await this.#reportIfRootGone();
  }

  #deliver(changes: FolderChanges): void {
    try {
      this.#onChange(changes);
    } catch (error) {
      this.fail(DriftlessError.from(error));
    }
  }

  async #reportIfRootGone(): Promise<void> {
    this.#checkRoot = false;
    if (this.#rootReported || this.#stopped) return;
    const exists = await fs.stat(this.#rootAbs).then(
      (stats) => stats.isDirectory(),
      () => false,
    );
    if (exists || this.#stopped) return;
    this.#rootReported = true;
    this.fail(
      new DriftlessError('NOT_FOUND', `The watched folder was removed: ${this.#rootAbs}`, {
        root: this.#rootAbs,
      }),
    );
  }
}
