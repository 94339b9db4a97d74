import { Compensator, CompensatorChainCache, loadCompensator, type ForwardMap } from '../compat/index.ts';
import type { Encoder } from '../encoder/index.ts';
import { forwardMerge, type ForwardScoring, type VectorsByVersion } from '../search/index.ts';
import type { NoteIndex } from '../store/index.ts';
import type { VersionStore } from '../versions/index.ts';
import { loadForwardMaps } from './forwardMaps.ts';
import { SeededRandom } from './random.ts';

const BACKGROUND_SIZE = 256;
const MAX_ROWS = 1_000_000;

/**
 * Which encoder versions a query searches, with which vector, and how their hits compare. The query
 * is embedded once by the current version. An older version's rows for which the current version
 * holds a forward map are searched with the map's search vector and rescored in the current space
 * (`forwardMerge`), so every row competes on one scale. Older versions of the lineage without one
 * (published before forward maps existed) get the query mapped into their space through the
 * composed compensator chain (cached until the current version changes). Versions outside the
 * lineage (newer ones after a rollback) have no map from the current space and are not searched
 * densely; full-text search still finds their notes, and a reindex brings them back.
 */
export class VersionSearchSpace implements ForwardScoring {
  readonly #chain = new CompensatorChainCache();
  readonly #steps = new Map<string, Compensator>();
  #rows: Promise<Record<string, number>> | undefined;
  /** The current version's forward maps, keyed by the older version they take; `loaded` once read. */
  #forward:
    | { version: string; maps: Promise<Map<string, ForwardMap>>; loaded?: Map<string, ForwardMap> }
    | undefined;
  /** The search's version merge: forward-mapped rows scored in the current space. */
  readonly versionMerge = forwardMerge(this);

  constructor(
    private readonly versions: VersionStore,
    private readonly index: NoteIndex,
  ) {}

  /** Forgets row counts; call after the index changes. */
  invalidateRows(): void {
    this.#rows = undefined;
  }

  /** The versions searched from `current`, newest first: its lineage, where rows exist. */
  async searchedVersions(current: string): Promise<string[]> {
    const rows = await this.#rowCounts();
    const lineage = this.versions.lineage(current).map((m) => m.version);
    return lineage.filter((version, i) => i === 0 || (rows[version] ?? 0) > 0);
  }

  /** The query vector for each searched version: the search's `vectorsByVersion` seam. */
  readonly vectorsByVersion: VectorsByVersion = async (queryVector, encoder) => {
    const forward = await this.#forwardMaps(encoder.version, encoder.dimensions);
    const versions = await this.searchedVersions(encoder.version);
    const reachable = await this.#setChain(encoder, versions);
    const out = new Map<string, Float32Array>();
    for (const version of versions) {
      const map = forward.get(version);
      if (version === encoder.version) out.set(version, queryVector);
      else if (map) out.set(version, map.searchVector(queryVector));
      else if (reachable.has(version)) out.set(version, this.#chain.get(version).apply(queryVector));
    }
    return out;
  };

  /** The current version's forward map of `version`'s rows, once `vectorsByVersion` loaded them. */
  forwardFor(version: string): ForwardMap | undefined {
    return this.#forward?.loaded?.get(version);
  }

  storedVectors(chunkIds: readonly string[], version: string): Promise<Map<string, Float32Array>> {
    return this.index.vectorsForChunks(chunkIds, version);
  }

  async #forwardMaps(version: string, dims: number): Promise<Map<string, ForwardMap>> {
    if (this.#forward?.version !== version)
      this.#forward = { version, maps: loadForwardMaps(this.versions, version, dims) };
    const forward = this.#forward;
    forward.loaded = await forward.maps;
    return forward.loaded;
  }

  /** The composed map from `current` into `version` (for tests and diagnostics). */
  async mapTo(encoder: Encoder, version: string): Promise<Compensator> {
    await this.#setChain(
      encoder,
      this.versions.lineage(encoder.version).map((m) => m.version),
    );
    return this.#chain.get(version);
  }

  /** Loads the steps down the lineage as far as they are intact; returns the versions reached. */
  async #setChain(encoder: Encoder, versions: readonly string[]): Promise<Set<string>> {
    const steps: Compensator[] = [];
    const lineage = this.versions.lineage(encoder.version);
    for (const manifest of lineage.slice(0, -1)) {
      const step = await this.#step(manifest.version, encoder.dimensions).catch(() => undefined);
      if (!step) break;
      steps.push(step);
    }
    this.#chain.setChain(steps, { version: encoder.version, dims: encoder.dimensions });
    const reached = new Set([encoder.version, ...steps.map((step) => step.toVersion)]);
    return new Set(versions.filter((version) => reached.has(version)));
  }

  async #step(version: string, dims: number): Promise<Compensator | undefined> {
    const cached = this.#steps.get(version);
    if (cached) return cached;
    const manifest = this.versions.get(version);
    if (!manifest.compensator || !manifest.parent) return undefined;
    const loaded = await loadCompensator(this.versions.filePath(version, manifest.compensator.file), {
      expectedDims: dims,
    });
    // The manifest, not the file, names the edge: a file is only ever read from its own version.
    const step = new Compensator({ ...loaded.toSpec(), fromVersion: version, toVersion: manifest.parent });
    this.#steps.set(version, step);
    return step;
  }

  #rowCounts(): Promise<Record<string, number>> {
    this.#rows ??= this.index.countRowsByVersion();
    return this.#rows;
  }
}

/**
 * A fixed (seeded) sample of the stored chunk vectors of every version in the index: the background
 * `calibratedMerge` judges a version's cosines against (measured in the continual benchmark; the app
 * merges by rank).
 */
export async function sampleVersionVectors(index: NoteIndex): Promise<Map<string, Float32Array[]>> {
  const chunks = await index.filterSearch({ k: MAX_ROWS });
  const idsByVersion = new Map<string, string[]>();
  for (const chunk of chunks) {
    const ids = idsByVersion.get(chunk.encoderVersion) ?? [];
    ids.push(chunk.chunkId);
    idsByVersion.set(chunk.encoderVersion, ids);
  }
  const out = new Map<string, Float32Array[]>();
  for (const [version, ids] of idsByVersion) {
    const sample = new SeededRandom(1).sample([...new Set(ids)], BACKGROUND_SIZE);
    out.set(version, [...(await index.vectorsForChunks(sample, version)).values()]);
  }
  return out;
}
