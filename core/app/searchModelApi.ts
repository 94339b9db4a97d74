import { DriftlessError, logAndContinue } from '../base/index.ts';
import type { JobContext } from '../jobs/index.ts';
import { syncFolder } from '../library/index.ts';
import type { AppParts, WriteJob } from './parts.ts';
import {
  BUNDLED_MODEL,
  closeSearchSpace,
  openSearchSpace,
  writeSearchModel,
  type SearchSpace,
} from './searchSpace.ts';

/** What a finished switch reports. */
export interface ModelSwitch {
  model: string;
  notes: number;
}

/**
 * Switches search to another model: a background job builds (or, for a model used before, brings up
 * to date) that model's own index from every added folder while search keeps using the current one,
 * then records the choice and swaps the live parts in one step. Cancelling or a crash leaves the
 * current model in use; running the switch again continues where the build stopped.
 * @throws DriftlessError NOT_FOUND for a model outside the catalogue or not installed.
 */
export async function startModelSwitch(
  parts: AppParts,
  writeJob: WriteJob,
  model: string,
): Promise<{ id: string; result: Promise<ModelSwitch> }> {
  const name = model === BUNDLED_MODEL ? 'the bundled encoder' : parts.models.manager.entry(model).name;
  if (model !== BUNDLED_MODEL && !(await parts.models.manager.installed(model)))
    throw new DriftlessError('NOT_FOUND', `${name} is not installed; download it first.`, { model });
  return writeJob({
    kind: 'reindex',
    label: `Switch search to ${name}`,
    run: (context) => switchModel(parts, model, context),
  });
}

async function switchModel(parts: AppParts, model: string, context: JobContext): Promise<ModelSwitch> {
  const current = parts.searchSpace.get();
  if (model === current.model) return { model, notes: await countNotes(parts, current.index) };
  const target = await openSearchSpace(parts.paths, model, parts.spaceSources);
  try {
    // Load it even when its index needs no work: search must not switch to a model that cannot run.
    await target.encoders.current();
    await buildIndex(parts, target, context);
    await writeSearchModel(parts.paths, model);
  } catch (error) {
    await closeSearchSpace(target);
    throw error;
  }
  const previous = parts.searchSpace.replace(target);
  parts.events.emit({ type: 'versions-changed', current: target.versions.current.version });
  parts.events.emit({ type: 'index-changed' });
  // Searches that started on the previous space finish on it before it closes.
  void parts.searches
    .drained()
    .then(() => closeSearchSpace(previous))
    .catch(logAndContinue(`Closing the index of ${previous.model} after the switch`));
  return { model, notes: await countNotes(parts, target.index) };
}

/** Syncs every added folder into the space, and drops notes of folders removed since it was used. */
async function buildIndex(parts: AppParts, target: SearchSpace, context: JobContext): Promise<void> {
  // Rows a crashed earlier build left behind; this job holds the writer lock, so none are in flight.
  await target.index.repair();
  const folders = parts.folders.list();
  const known = new Set(folders.map((folder) => folder.id));
  for (const folderId of await target.index.folderIds()) {
    if (known.has(folderId)) continue;
    const notes = await target.index.listNotes(folderId);
    await target.index.removeNotes(notes.map((note) => ({ folderId, notePath: note.notePath })));
  }
  const { ignore, maxFileBytes, maxIndexedChars } = await parts.settings.current();
  for (const folder of folders) {
    await syncFolder(
      folder,
      { index: target.index, encoder: () => target.encoders.current() },
      { ignore, maxFileBytes, maxIndexedChars },
      context,
    );
  }
  await target.index.optimize();
}

async function countNotes(parts: AppParts, index: SearchSpace['index']): Promise<number> {
  let notes = 0;
  for (const folder of parts.folders.list()) notes += (await index.listNotes(folder.id)).length;
  return notes;
}
