import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import {
  DriftlessError,
  readJsonFileOrSetAside,
  removeAbandonedTempFiles,
  writeJsonAtomic,
} from '../base/index.ts';
import { withShortLock } from '../jobs/index.ts';
import type { FolderRecord } from '../store/index.ts';
import { expandFolderPath } from './folderPaths.ts';

const registrySchema = z.object({
  folders: z.array(z.object({ id: z.string().min(1), root: z.string().min(1), addedMs: z.number() })),
});

/** The folders the user added, kept in `folders.json` in the data folder. */
export class FolderRegistry {
  readonly #file: string;
  #folders: FolderRecord[];

  private constructor(file: string, folders: FolderRecord[]) {
    this.#file = file;
    this.#folders = folders;
  }

  static async open(dataDir: string): Promise<FolderRegistry> {
    const file = path.join(dataDir, 'folders.json');
    // The data folder's JSON files (folders, settings) are written atomically; clear what a crash left.
    await removeAbandonedTempFiles(dataDir);
    await removeAbandonedTempFiles(path.join(dataDir, 'reports'));
    const stored = await readJsonFileOrSetAside(file, registrySchema);
    return new FolderRegistry(file, stored?.folders ?? []);
  }

  list(): FolderRecord[] {
    return [...this.#folders];
  }

  get(id: string): FolderRecord {
    const folder = this.#folders.find((candidate) => candidate.id === id);
    if (!folder) throw new DriftlessError('NOT_FOUND', `No folder with id ${id} has been added.`);
    return folder;
  }

  /** Finds a folder by id or by its path (as the user typed it). */
  find(idOrPath: string): FolderRecord | undefined {
    const resolved = path.resolve(idOrPath);
    return this.#folders.find((folder) => folder.id === idOrPath || folder.root === resolved);
  }

  /** Adds a folder; `~` and a relative path are read from the home folder (expandFolderPath). */
  async add(root: string): Promise<FolderRecord> {
    const resolved = await realDirectory(root);
    refuseSystemFolder(resolved);
    return this.#update(`adding ${resolved}`, async () => {
      const overlapping = this.#folders.find(
        (folder) => isInside(resolved, folder.root) || isInside(folder.root, resolved),
      );
      if (overlapping) {
        const message =
          overlapping.root === resolved
            ? `${resolved} is already added.`
            : `${resolved} overlaps the added folder ${overlapping.root}.`;
        throw new DriftlessError('ALREADY_EXISTS', message, { folderId: overlapping.id });
      }
      const folder: FolderRecord = { id: folderIdFor(resolved), root: resolved, addedMs: Date.now() };
      await this.#save([...this.#folders, folder]);
      return folder;
    });
  }

  async remove(id: string): Promise<FolderRecord> {
    return this.#update(`removing folder ${id}`, async () => {
      const folder = this.get(id);
      await this.#save(this.#folders.filter((candidate) => candidate.id !== id));
      return folder;
    });
  }

  /**
   * Reads the list again (another process may have changed it); true when it differs from the one
   * held before.
   */
  async reload(): Promise<boolean> {
    const before = JSON.stringify(this.#folders);
    await this.#reload();
    return JSON.stringify(this.#folders) !== before;
  }

  /**
   * Read, change and save under the list's own lock: without it two processes adding at once both
   * read the old list and the later save drops the other's folder (whose notes then get imported
   * under a folder id no list names).
   */
  async #update<T>(purpose: string, change: () => Promise<T>): Promise<T> {
    return withShortLock(`${this.#file}.lock`, purpose, async () => {
      await this.#reload();
      return change();
    });
  }

  /**
   * Picks up changes another instance (the CLI, a second window) saved since this one opened, so a
   * change here does not silently drop theirs.
   */
  async #reload(): Promise<void> {
    const stored = await readJsonFileOrSetAside(this.#file, registrySchema);
    if (stored) this.#folders = stored.folders;
  }

  async #save(folders: FolderRecord[]): Promise<void> {
    await writeJsonAtomic(this.#file, { folders });
    this.#folders = folders;
  }
}

/** A short id that stays the same for the same folder path. */
function folderIdFor(root: string): string {
  return createHash('sha256').update(root).digest('hex').slice(0, 12);
}

async function realDirectory(root: string): Promise<string> {
  const expanded = expandFolderPath(root);
  let resolved: string;
  try {
    resolved = await fs.realpath(expanded.path);
  } catch {
    const base = expanded.relativeTo
      ? ` (a relative path is read from your home folder, ${expanded.relativeTo})`
      : '';
    throw new DriftlessError('NOT_FOUND', `There is no folder at ${expanded.path}${base}.`);
  }
  if (!(await fs.stat(resolved)).isDirectory())
    throw new DriftlessError('INVALID_ARGUMENT', `${root} is not a folder.`);
  return resolved;
}

/**
 * Folders of the operating system, never a person's notes: programs, devices, kernel files. Adding
 * one would read devices and FIFOs or index thousands of binaries, so it is refused.
 */
const SYSTEM_FOLDERS =
  process.platform === 'win32'
    ? [process.env.SystemRoot ?? 'C:\\Windows', process.env.ProgramFiles ?? 'C:\\Program Files']
    : [
        '/bin',
        '/boot',
        '/dev',
        '/etc',
        '/lib',
        '/lib32',
        '/lib64',
        '/proc',
        '/run',
        '/sbin',
        '/sys',
        '/usr',
        '/var/lib',
        '/var/run',
        '/System',
        '/Library',
        '/Applications',
      ];

/** @throws DriftlessError INVALID_ARGUMENT for the file system's root or a system folder. */
export function refuseSystemFolder(resolved: string): void {
  const system = SYSTEM_FOLDERS.find((folder) => isInside(resolved, folder));
  if (path.parse(resolved).root === resolved || system)
    throw new DriftlessError(
      'INVALID_ARGUMENT',
      `${resolved} is ${system ? `a system folder (inside ${system})` : 'the root of the file system'}, not a notes folder; add the folder that holds your notes.`,
      { path: resolved },
    );
}

/** Whether `child` is `parent` or below it (a name that merely starts with `..`, like `..notes`, is inside). */
export function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  if (relative === '') return true;
  const first = relative.split(path.sep)[0];
  return first !== '..' && !path.isAbsolute(relative);
}
