import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { logAndContinue, readJsonFile, writeJsonAtomic, type DataPaths } from '../base/index.ts';
import { loadForwardMaps, VersionedEncoders, type LoadVersionEncoder } from '../adapt/index.ts';
import type { Encoder } from '../encoder/index.ts';
import type { ModelManager } from '../models/index.ts';
import { NoteIndex } from '../store/index.ts';
import { VersionSearchSpace } from '../versionSearch/index.ts';
import { VersionStore } from '../versions/index.ts';

/** The search model choice that means the bundled encoder (the one adaptation trains). */
export const BUNDLED_MODEL = 'bundled';

/**
 * Everything that belongs to one search model: its index (vectors of its own length), its encoder
 * versions and the cross-version search. Each model has its own, so switching models never mixes
 * vectors of different encoders, and switching back finds the earlier index still there.
 */
export interface SearchSpace {
  /** BUNDLED_MODEL or a catalogue model id. */
  readonly model: string;
  readonly index: NoteIndex;
  readonly versions: VersionStore;
  readonly encoders: VersionedEncoders;
  /** Search across the encoder versions of this index's rows. */
  readonly space: VersionSearchSpace;
  readonly dimensions: number;
}

/** How the bundled space is made (tests replace its encoder) and where other models come from. */
export interface SpaceSources {
  bundled: { load: () => Promise<Encoder>; dimensions: number; backboneId: string };
  loadVersionEncoder: LoadVersionEncoder;
  models: ModelManager;
}

const choiceSchema = z.object({ model: z.string().min(1) });

/** The search model recorded in the data folder (the bundled encoder when none is). */
export async function readSearchModel(paths: DataPaths): Promise<string> {
  // An unreadable choice must not keep the app from opening: the bundled index is always there.
  const choice = await readJsonFile(choiceFile(paths), choiceSchema).catch(
    logAndContinue('Reading the search model choice (search-model.json)'),
  );
  return choice?.model ?? BUNDLED_MODEL;
}

/** Records the search model; written only once its index is complete. */
export async function writeSearchModel(paths: DataPaths, model: string): Promise<void> {
  await writeJsonAtomic(choiceFile(paths), { model });
}

/**
 * Opens the space of `model`. The bundled one lives at the data folder's `index/` and `versions/`
 * (where it always has); a downloaded model's under `spaces/<id>/`.
 * @throws DriftlessError NOT_FOUND for a model that is not in the catalogue.
 */
export async function openSearchSpace(
  paths: DataPaths,
  model: string,
  sources: SpaceSources,
  options: { openDamaged?: boolean } = {},
): Promise<SearchSpace> {
  const bundled = model === BUNDLED_MODEL;
  const entry = bundled ? undefined : sources.models.entry(model);
  const dirs = bundled ? paths : spaceDirs(paths, model);
  await fs.mkdir(dirs.index, { recursive: true });
  const versions = await VersionStore.open(dirs.versions, entry?.id ?? sources.bundled.backboneId);
  const dimensions = entry?.dimensions ?? sources.bundled.dimensions;
  const index = await openSpaceIndex(dirs.index, dimensions, options);
  const loadBase = entry
    ? () => sources.models.openEncoder(entry.id, { version: 'v0' })
    : sources.bundled.load;
  const encoders = new VersionedEncoders(versions, loadBase, sources.loadVersionEncoder);
  return {
    model,
    index,
    versions,
    encoders,
    space: new VersionSearchSpace(versions, index, loadForwardMaps),
    dimensions,
  };
}

/**
 * Opens the note index of a space (also the empty one that replaces a damaged index). With
 * `openDamaged`, an index too damaged to open fails every call with INDEX_DAMAGED instead.
 */
export function openSpaceIndex(
  dir: string,
  dimensions: number,
  options: { openDamaged?: boolean } = {},
): Promise<NoteIndex> {
  // Leftovers of a crashed write are repaired under the writer lock, never at open: another
  // instance may be in the middle of a write right now.
  return NoteIndex.open(dir, {
    dimensions,
    repairOnOpen: false,
    readConsistencyIntervalSeconds: 0,
    ...(options.openDamaged ? { openDamaged: true } : {}),
  });
}

/** The index folder of `model`'s space. */
export function spaceIndexDir(paths: DataPaths, model: string): string {
  return model === BUNDLED_MODEL ? paths.index : spaceDirs(paths, model).index;
}

export async function closeSearchSpace(space: SearchSpace): Promise<void> {
  await space.encoders.close();
  await space.index.close();
}

function spaceDirs(paths: DataPaths, model: string): { index: string; versions: string } {
  const root = path.join(paths.root, 'spaces', model);
  return { index: path.join(root, 'index'), versions: path.join(root, 'versions') };
}

function choiceFile(paths: DataPaths): string {
  return path.join(paths.root, 'search-model.json');
}
