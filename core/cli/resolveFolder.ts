import path from 'node:path';
import { DriftlessError } from '../base/index.ts';
import type { DriftlessApi, FolderInfo } from '../service/index.ts';

/** Finds an added folder by its id or by its path (relative paths resolve against the working directory). */
export async function resolveFolder(api: DriftlessApi, folderOrId: string): Promise<FolderInfo> {
  const folders = await api.listFolders({});
  const byId = folders.find((folder) => folder.id === folderOrId);
  if (byId) return byId;
  const resolved = path.resolve(folderOrId);
  const byPath = folders.find((folder) => path.resolve(folder.root) === resolved);
  if (byPath) return byPath;
  throw new DriftlessError(
    'NOT_FOUND',
    `No added folder matches "${folderOrId}"; see \`driftless folders\`.`,
  );
}
