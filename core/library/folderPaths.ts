import type { Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** A folder path as typed into the window, made absolute. */
export interface ExpandedPath {
  path: string;
  /** Set when the typed path was relative: it was read from the user's home folder. */
  relativeTo?: string;
}

/**
 * Expands what a person types for a folder: `~` and `~/notes` are in the home folder, and a relative
 * path such as `notes/journal` is read from the home folder too. The window cannot know the server's
 * working folder, so home is the only base that means the same to the person typing.
 */
export function expandFolderPath(typed: string, home: string = os.homedir()): ExpandedPath {
  const text = typed.trim();
  if (text === '~') return { path: home };
  if (text.startsWith('~/') || (path.sep === '\\' && text.startsWith('~\\')))
    return { path: path.join(home, text.slice(2)) };
  if (path.isAbsolute(text)) return { path: path.resolve(text) };
  return { path: path.resolve(home, text), relativeTo: home };
}

/** The most completions one call returns. */
export const MAX_SUGGESTIONS = 20;

/**
 * Existing folders that complete what has been typed so far: the subfolders of the typed folder when
 * it ends with a separator, else the folders beside it whose names begin with its last part. Only
 * directory names are read (never a file's content, never a file name); folders starting with a dot
 * are listed only once a dot is typed. A folder that cannot be read completes to nothing.
 */
export async function suggestFolders(
  typed: string,
  home: string = os.homedir(),
): Promise<{ folders: string[]; expanded: ExpandedPath }> {
  const text = typed.trim();
  const expanded = expandFolderPath(text === '' ? '~/' : text, home);
  const listsChildren = text === '' || text === '~' || /[\\/]$/.test(text);
  const parent = listsChildren ? expanded.path : path.dirname(expanded.path);
  const start = listsChildren ? '' : path.basename(expanded.path).toLowerCase();
  let entries: Dirent[];
  try {
    entries = await fs.readdir(parent, { withFileTypes: true });
  } catch {
    return { folders: [], expanded };
  }
  const names: string[] = [];
  for (const entry of entries) {
    if (!entry.name.toLowerCase().startsWith(start)) continue;
    if (entry.name.startsWith('.') && !start.startsWith('.')) continue;
    if (await isFolder(parent, entry)) names.push(entry.name);
  }
  names.sort((a, b) => a.localeCompare(b));
  return { folders: names.slice(0, MAX_SUGGESTIONS).map((name) => path.join(parent, name)), expanded };
}

/** A directory, or a link to one (a notes folder is often a link into a synced drive). */
async function isFolder(parent: string, entry: Dirent): Promise<boolean> {
  if (entry.isDirectory()) return true;
  if (!entry.isSymbolicLink()) return false;
  return (await fs.stat(path.join(parent, entry.name)).catch(() => undefined))?.isDirectory() ?? false;
}
