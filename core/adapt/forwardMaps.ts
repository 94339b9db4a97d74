import path from 'node:path';
import { throwIfAborted } from '../base/index.ts';
import {
  ForwardMap,
  loadAnchorCorrection,
  loadCompensator,
  saveAnchorCorrection,
  saveCompensator,
} from '../compat/index.ts';
import type { Encoder } from '../encoder/index.ts';
import { chunkEmbeddingText } from '../ingest/index.ts';
import { fitForwardMap } from '../jobs/offThread/fit.ts';
import { forwardMerge, type SearchOptions } from '../search/index.ts';
import { noteKey, type NoteIndex } from '../store/index.ts';
import type { VersionStore } from '../versions/index.ts';
import { sampleAnchorNotes, type AnchorNotes } from './anchors.ts';

const FORWARD_PREFIX = 'forward-';
const CORRECTION_PREFIX = 'correction-';
/** Fewest anchor rows worth fitting a map on; a smaller segment is re-embedded whole (`keepAnchors`). */
const MIN_ANCHORS = 32;

export interface ForwardFitOptions {
  /** Anchor rows per older version at most: the only texts the new version embeds (default 1000). */
  maxAnchors: number;
  seed: number;
  /** The name the maps give the target space (a candidate is named only once it is published). */
  toVersion?: string;
}

export const DEFAULT_FORWARD_FIT: ForwardFitOptions = { maxAnchors: 1000, seed: 1 };

/** The maps from each older version into the new space, and the anchors they were fitted on. */
export interface ForwardFit {
  maps: Map<string, ForwardMap>;
  anchors: AnchorNotes;
}

/**
 * Fits a direct map from every other version's stored rows into `encoder`'s space, each on a seeded
 * sample of that version's own notes: their stored vectors beside the same texts embedded by
 * `encoder`. Nothing is written to the index; the cost is one encoder pass over the anchors. Only
 * the sampled rows are read in full: the app's thread serves search meanwhile, and reading every
 * row of the index as objects to sample a thousand of them stalled it for about half a second.
 */
export async function fitForwardMaps(
  index: NoteIndex,
  encoder: Encoder,
  options: ForwardFitOptions,
  signal?: AbortSignal,
): Promise<ForwardFit> {
  const olderVersions = Object.keys(await index.countRowsByVersion())
    .filter((version) => version !== encoder.version)
    .sort();
  const fitted: ForwardFit = { maps: new Map(), anchors: { notes: new Map(), vectors: new Map() } };
  const toVersion = options.toVersion ?? encoder.version;
  for (const version of olderVersions) {
    throwIfAborted(signal);
    const { notes, chunks } = await sampleAnchorNotes(index, version, options);
    const fresh = await encoder.embedDocuments(
      chunks.map((chunk) => chunkEmbeddingText(chunk.title, { ...chunk, ordinal: 0 })),
      signal,
    );
    chunks.forEach((chunk, i) => fitted.anchors.vectors.set(chunk.id, fresh[i]!));
    for (const note of notes) fitted.anchors.notes.set(note.key, note.chunks[0]!.noteHash);
    const stored = await index.vectorsForChunks(
      chunks.map((chunk) => chunk.chunkId),
      version,
    );
    const usable = chunks.flatMap((chunk, i) => (stored.has(chunk.chunkId) ? [i] : []));
    if (usable.length < MIN_ANCHORS) continue;
    // Off the app's thread (seconds of pure JavaScript); the stored vectors are the input side.
    const map = await fitForwardMap(
      {
        stored: usable.map((i) => stored.get(chunks[i]!.chunkId)!),
        current: usable.map((i) => fresh[i]!),
        notes: usable.map((i) => noteKey(chunks[i]!)),
      },
      { fromVersion: version, toVersion, seed: options.seed },
      signal,
    );
    fitted.maps.set(version, map);
  }
  return fitted;
}

/** A forward map's file in its version's folder: `forward-<older version>.json`. */
export function forwardMapFile(fromVersion: string): string {
  return `${FORWARD_PREFIX}${fromVersion}.json`;
}

/** A forward map's anchor correction, beside it: `correction-<older version>.json`. */
function correctionFile(fromVersion: string): string {
  return `${CORRECTION_PREFIX}${fromVersion}.json`;
}

/** Writes each map, and its anchor correction where it has one, into a (staging) version folder. */
export async function saveForwardMaps(dir: string, maps: ReadonlyMap<string, ForwardMap>): Promise<void> {
  for (const [version, map] of maps) {
    await saveCompensator(path.join(dir, forwardMapFile(version)), map.map);
    if (map.correction)
      await saveAnchorCorrection(path.join(dir, correctionFile(version)), map.correction, map.map);
  }
}

/**
 * The forward maps a published version holds, keyed by the older version they take. A map that
 * fails its checks (checksum, sizes, NaN or infinite values, missing parameters, another version's
 * map) is left out and told to `onRefused` with the reason: its rows are then searched through the
 * compensator chain, and the refusal is shown in status.
 */
export async function loadForwardMaps(
  versions: VersionStore,
  version: string,
  dims: number,
  onRefused: (file: string, reason: string) => void = () => undefined,
): Promise<Map<string, ForwardMap>> {
  const maps = new Map<string, ForwardMap>();
  for (const file of Object.keys(versions.get(version).files)) {
    if (!file.startsWith(FORWARD_PREFIX) || !file.endsWith('.json')) continue;
    const from = file.slice(FORWARD_PREFIX.length, -'.json'.length);
    try {
      const loaded = await loadCompensator(versions.filePath(version, file), { expectedDims: dims });
      if (loaded.fromVersion !== from || loaded.toVersion !== version)
        throw new Error(`it maps ${loaded.fromVersion} to ${loaded.toVersion}, not ${from} to ${version}`);
      maps.set(from, new ForwardMap(loaded, await loadCorrection(versions, version, loaded, onRefused)));
    } catch (error) {
      onRefused(file, (error as Error).message);
    }
  }
  return maps;
}

/** A map's anchor correction; without one (none written, or refused and told) the map is affine. */
async function loadCorrection(
  versions: VersionStore,
  version: string,
  map: { fromVersion: string; toVersion: string; dims: number },
  onRefused: (file: string, reason: string) => void,
) {
  const file = correctionFile(map.fromVersion);
  if (!(file in versions.get(version).files)) return undefined;
  try {
    return await loadAnchorCorrection(versions.filePath(version, file), map);
  } catch (error) {
    onRefused(file, (error as Error).message);
    return undefined;
  }
}

/**
 * How search reads the index with a version that has no rows yet (a candidate at the gate): every
 * stored row through its forward map, one space, one scale.
 */
export function forwardSpace(
  index: NoteIndex,
  maps: ReadonlyMap<string, ForwardMap>,
): Pick<SearchOptions, 'vectorsByVersion' | 'versionMerge'> {
  return {
    vectorsByVersion: async (query, encoder) =>
      new Map([
        [encoder.version, query],
        ...[...maps].map(([version, map]) => [version, map.searchVector(query)] as const),
      ]),
    versionMerge: forwardMerge({
      forwardFor: (version) => maps.get(version),
      storedVectors: (ids, version) => index.vectorsForChunks(ids, version),
    }),
  };
}
