import { closeSync, constants as fsConstants, fstatSync, openSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { readRegularTextFile } from '../base/files.ts';
import { logFailure } from '../base/log.ts';

/** Folders and files that are never notes, whatever the options say (unless re-included by `!pattern`). */
export const SYSTEM_IGNORES: readonly string[] = [
  '.git/',
  '.hg/',
  '.svn/',
  '.obsidian/',
  '.trash/',
  '.Trash/',
  '.Trashes/',
  'node_modules/',
  '$RECYCLE.BIN/',
  'System Volume Information/',
  '.DS_Store',
];

/** Per-folder ignore files, read like git reads nested .gitignore files. */
export const IGNORE_FILE_NAMES: readonly string[] = ['.gitignore', '.driftlessignore'];

export interface IgnoreOptions {
  ignore?: readonly string[];
  includeHidden?: boolean;
}

/**
 * Decides whether a path below a root is passed over. The defaults (system folders, dot-names unless
 * `includeHidden`) and the caller's patterns apply first and cannot be undone by ignore files; then
 * the .gitignore/.driftlessignore of each folder from the root down, the deepest match winning.
 */
export class IgnoreRules {
  readonly #root: string;
  readonly #base: Ignore;
  /** Rules per folder (relative POSIX path, '' for the root); null when the folder has none. */
  readonly #folders = new Map<string, Ignore | null>();

  constructor(root: string, options: IgnoreOptions = {}) {
    this.#root = root;
    this.#base = ignore().add([
      ...SYSTEM_IGNORES,
      ...(options.includeHidden ? [] : ['.*']),
      ...(options.ignore ?? []),
    ]);
  }

  /** Reads a folder's ignore files ahead of `ignores` so that no synchronous read is needed later. */
  async loadFolder(folderRel: string): Promise<void> {
    const texts = await Promise.all(
      // Never a plain readFile: an ignore file that is a FIFO would wait for a writer forever.
      IGNORE_FILE_NAMES.map((name) =>
        readRegularTextFile(this.#abs(folderRel, name)).catch((error: NodeJS.ErrnoException) => {
          // Most folders have none; one that cannot be read adds no rules, and the log says so.
          if (error.code !== 'ENOENT') logFailure(`Reading ${this.#abs(folderRel, name)}`, error);
          return '';
        }),
      ),
    );
    this.#folders.set(folderRel, rulesFrom(texts));
  }

  /** Forgets a folder's rules, e.g. after one of its ignore files changed. */
  forgetFolder(folderRel: string): void {
    this.#folders.delete(folderRel);
  }

  /** Whether `relPath` (POSIX, relative to the root) is ignored; folders are tested as `name/`. */
  ignores(relPath: string, isFolder: boolean): boolean {
    if (!relPath) return false;
    if (test(this.#base, relPath, isFolder) === true) return true;
    let ignored = false;
    const parts = relPath.split('/');
    for (let depth = 0; depth < parts.length; depth++) {
      const folderRel = parts.slice(0, depth).join('/');
      const rules = this.#rulesFor(folderRel);
      if (!rules) continue;
      const verdict = test(rules, parts.slice(depth).join('/'), isFolder);
      if (verdict !== undefined) ignored = verdict;
    }
    return ignored;
  }

  #rulesFor(folderRel: string): Ignore | null {
    let rules = this.#folders.get(folderRel);
    if (rules === undefined) {
      rules = rulesFrom(IGNORE_FILE_NAMES.map((name) => readTextOrEmpty(this.#abs(folderRel, name))));
      this.#folders.set(folderRel, rules);
    }
    return rules;
  }

  #abs(folderRel: string, name: string): string {
    return path.join(this.#root, ...folderRel.split('/').filter(Boolean), name);
  }
}

function rulesFrom(texts: readonly string[]): Ignore | null {
  const content = texts.filter((text) => text.trim()).join('\n');
  return content ? ignore().add(content) : null;
}

/** true = ignored, false = re-included by a `!` rule, undefined = no rule matched. */
function test(rules: Ignore, relPath: string, isFolder: boolean): boolean | undefined {
  try {
    const result = rules.test(isFolder ? `${relPath}/` : relPath);
    if (result.ignored) return true;
    return result.unignored ? false : undefined;
  } catch {
    // Names the matcher refuses (e.g. "...") cannot match a pattern meant for them either.
    return undefined;
  }
}

/** A regular file's text, '' for anything else: a FIFO is never opened in blocking mode. */
function readTextOrEmpty(file: string): string {
  let fd: number | undefined;
  try {
    if (!statSync(file).isFile()) return '';
    fd = openSync(file, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
    return fstatSync(fd).isFile() ? readFileSync(fd, 'utf8') : '';
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
