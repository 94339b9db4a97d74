import path from 'node:path';
import type { FolderResolver } from '../search/index.ts';
import type { FolderRecord } from '../store/index.ts';

const nameOf = (folder: FolderRecord): string => path.basename(folder.root);

/**
 * Resolves a query's `folder:` value: a folder's name (the last part of its path, any case), its
 * full path, or its id. A name two folders share, or one no folder has, is a problem in words that
 * lists what would work.
 */
export function folderResolver(folders: readonly FolderRecord[]): FolderResolver {
  return (ref) => {
    const exact = folders.find((folder) => folder.id === ref || folder.root === ref);
    if (exact) return exact.id;
    const named = folders.filter((folder) => nameOf(folder).toLowerCase() === ref.toLowerCase());
    if (named.length === 1) return named[0]!.id;
    if (named.length > 1)
      return {
        problem: `folder:${ref} is ambiguous: ${named.map((folder) => folder.root).join(' and ')} share that name; use path: or folder:"<full path>".`,
      };
    const names = [...new Set(folders.map(nameOf))].map((name) => `folder:${name}`);
    return {
      problem: names.length
        ? `No folder is named “${ref}”; your folders: ${names.join(', ')}.`
        : `No folder is named “${ref}”: no folders have been added yet.`,
    };
  };
}
