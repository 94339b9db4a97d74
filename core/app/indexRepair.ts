import fs from 'node:fs/promises';
import path from 'node:path';
import { DriftlessError, type DataPaths } from '../base/index.ts';
import { loadForwardMaps } from '../adapt/index.ts';
import { acquireWriterLock } from '../jobs/index.ts';
import type { DriftlessApi } from '../service/contract.ts';
import { VersionSearchSpace } from '../versionSearch/index.ts';
import type { AppParts, WriteJob } from './parts.ts';
import { openSpaceIndex, spaceIndexDir } from './searchSpace.ts';

/**
 * `driftless repair`: a damaged index (INDEX_DAMAGED) is moved aside to `index.damaged-<time>/`,
 * never deleted, and rebuilt by importing every added folder again through the normal import jobs.
 * Feedback, marks, settings and encoder versions live outside the index folder and stay as they are.
 */

/** Where the index in `indexDir` goes aside: a sibling folder named for the time of the repair. */
export function asidePath(indexDir: string, now = new Date()): string {
  return `${indexDir}.damaged-${now.toISOString().replace(/[:.]/g, '-')}`;
}

/**
 * Opens the search space; with `setAside`, an index too damaged to open is moved aside (under the
 * writer lock) and an empty one opened in its place. `setAsideTo` says where it went.
 */
export async function openRepairable<T>(
  paths: DataPaths,
  open: () => Promise<T>,
  setAside: boolean,
): Promise<{ space: T; setAsideTo?: string }> {
  try {
    return { space: await open() };
  } catch (error) {
    if (!setAside || !(error instanceof DriftlessError) || error.code !== 'INDEX_DAMAGED') throw error;
    const dir = String(error.details?.dir ?? paths.index);
    if (path.relative(paths.root, dir).startsWith('..')) throw error;
    const lock = await acquireWriterLock(paths.lock, 'index repair');
    const setAsideTo = asidePath(dir);
    try {
      await fs.rename(dir, setAsideTo);
    } finally {
      await lock.release();
    }
    return { space: await open(), setAsideTo };
  }
}

/** The API's repairIndex; `queueSyncs` queues an import of every added folder, returning job ids. */
export function repairApi(
  parts: AppParts,
  writeJob: WriteJob,
  queueSyncs: () => string[],
): Pick<DriftlessApi, 'repairIndex'> {
  return {
    repairIndex: async () => {
      const openedAside = parts.indexSetAside.replace(undefined);
      if (openedAside) {
        // Already moved aside when the app opened (it could not open it): only the imports remain.
        return { setAsideTo: openedAside, jobIds: queueSyncs() };
      }
      const indexDir = spaceIndexDir(parts.paths, parts.searchSpace.get().model);
      const setAsideTo = asidePath(indexDir);
      const job = writeJob({
        kind: 'import',
        label: 'Repair the index',
        run: async (context) => {
          context.report({ phase: 'moving the index aside', done: 0 });
          await replaceIndex(parts, indexDir, setAsideTo);
          queueSyncs();
        },
      });
      return { setAsideTo, jobIds: [job.id] };
    },
  };
}

/**
 * Closes the index, moves its folder aside and opens an empty one there, which replaces the search
 * space's index and cross-version search in one value. Holds the writer lock.
 */
async function replaceIndex(parts: AppParts, indexDir: string, setAsideTo: string): Promise<void> {
  const damaged = parts.searchSpace.get();
  await damaged.index.close();
  try {
    await fs.rename(indexDir, setAsideTo);
  } catch (error) {
    throw new DriftlessError('IO', `The index could not be moved aside to ${setAsideTo}.`, undefined, {
      cause: error,
    });
  } finally {
    // Searches answer again at once: from the empty index, filled by the imports that follow.
    const index = await openSpaceIndex(indexDir, damaged.dimensions);
    const space = new VersionSearchSpace(damaged.versions, index, loadForwardMaps);
    parts.searchSpace.replace({ ...damaged, index, space });
    parts.events.emit({ type: 'index-changed' });
  }
}
