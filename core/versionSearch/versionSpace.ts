import { Compensator, CompensatorChainCache, loadCompensator, type ForwardMap } from '../compat/index.ts';
import type { Encoder } from '../encoder/index.ts';
import { forwardMerge, type ForwardScoring, type VectorsByVersion } from '../search/index.ts';
import type { NoteIndex } from '../store/index.ts';
import type { VersionManifest, VersionStore } from '../versions/index.ts';
import { SeededRandom } from '../base/index.ts';

const BACKGROUND_SIZE = 256;

/** Why rows of an encoder version are not searched as they should be (shown in status). */
export interface VersionPathProblem {
  version: string;
  problem: string;
}
const MAX_ROWS = 1_000_000;

/**
 * Reads the forward maps a published version holds, keyed by the older version each takes, telling
 * `onRefused` of a map file that fails its checks. Adaptation writes these files and owns their
 * format: the app passes its reader in (core/adapt's `loadForwardMaps`), as it passes a
 * `LoadVersionEncoder` for trained encoders, so query-time search never imports training.
 */
export type LoadForwardMaps = (
  versions: VersionStore,
  version: string,
  dims: number,
  onRefused: (file: string, reason: string) => void,
) => Promise<Map<string, ForwardMap>>;

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
  /** Map files refused at load, keyed by `<version>/<file>`, with the reason: never read again. */
  readonly #refused = new Map<string, { version: string; reason: string }>();
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
    private readonly loadForwardMaps: LoadForwardMaps,
  ) {}

  /** Forgets row counts; call after the index changes. */
  invalidateRows(): void {
    this.#rows = undefined;
  }

  /** The versions searched from `current`, newest first: its lineage, where rows exist. */
  async searchedVersions(current: string): Promise<string[]> {
    const rows = await this.#rowCounts();
    const lineage = this.#lineage(current).map((m) => m.version);
    return lineage.filter((version, i) => i === 0 || (rows[version] ?? 0) > 0);
  }

  /** The query vector for each searched version: the search's `vectorsByVersion` seam. */
  readonly vectorsByVersion: VectorsByVersion = async (queryVector, encoder) => {
    const forward = await this.#forwardMaps(encoder.version, encoder.dimensions);
    const versions = await this.searchedVersions(encoder.version);
    const reachable = await this.#setChain(encoder.version, encoder.dimensions, versions);
    const out = new Map<string, Float32Array>();
    for (const version of versions) {
      const map = forward.get(version);
      if (version === encoder.version) out.set(version, queryVector);
      else if (map) out.set(version, map.searchVector(queryVector));
      else if (reachable.has(version)) out.set(version, this.#chain.get(version).apply(queryVector));
    }
    // A forward map is a direct path: it still reaches rows of a version below a damaged ancestor
    // (a version whose rows are all backfilled has nothing left to search).
    const rows = await this.#rowCounts();
    for (const [version, map] of forward)
      if (!out.has(version) && (rows[version] ?? 0) > 0) out.set(version, map.searchVector(queryVector));
    return out;
  };

  /**
   * What keeps rows of some version from being searched densely from `current`: map files refused at
   * load (with the reason), damaged versions, and versions with rows that no path reaches (full-text
   * search still finds their notes; a reindex re-embeds them). Empty when every row is reachable.
   */
  async problems(current: string, dims: number): Promise<VersionPathProblem[]> {
    const forward = await this.#forwardMaps(current, dims);
    const rows = await this.#rowCounts();
    const withRows = Object.keys(rows).filter((version) => version !== current && (rows[version] ?? 0) > 0);
    const chained = await this.#setChain(current, dims, withRows);
    const problems: VersionPathProblem[] = [
      ...this.versions.damaged().map(({ version, reason }) => ({ version, problem: reason })),
      ...[...this.#refused].map(([file, { version, reason }]) => ({
        version,
        problem: `${file} refused: ${reason}`,
      })),
    ];
    for (const version of withRows)
      if (!forward.has(version) && !chained.has(version))
        problems.push({
          version,
          problem: `${rows[version]} rows of ${version} are unreachable from ${current} (no intact map): dense search skips them, full-text search finds them; a reindex re-embeds them.`,
        });
    return problems;
  }

  /** The current version's forward map of `version`'s rows, once `vectorsByVersion` loaded them. */
  forwardFor(version: string): ForwardMap | undefined {
    return this.#forward?.loaded?.get(version);
  }

  storedVectors(chunkIds: readonly string[], version: string): Promise<Map<string, Float32Array>> {
    return this.index.vectorsForChunks(chunkIds, version);
  }

  async #forwardMaps(version: string, dims: number): Promise<Map<string, ForwardMap>> {
    if (this.#forward?.version !== version)
      this.#forward = {
        version,
        maps: this.loadForwardMaps(this.versions, version, dims, (file, reason) =>
          this.#refused.set(`${version}/${file}`, { version: fromOf(file) ?? version, reason }),
        ),
      };
    const forward = this.#forward;
    forward.loaded = await forward.maps;
    return forward.loaded;
  }

  /** The composed map from `current` into `version` (for tests and diagnostics). */
  async mapTo(encoder: Encoder, version: string): Promise<Compensator> {
    await this.#setChain(
      encoder.version,
      encoder.dimensions,
      this.#lineage(encoder.version).map((m) => m.version),
    );
    return this.#chain.get(version);
  }

  /** Loads the steps down the lineage as far as they are intact; returns the versions reached. */
  async #setChain(current: string, dims: number, versions: readonly string[]): Promise<Set<string>> {
    const steps: Compensator[] = [];
    const lineage = this.#lineage(current);
    for (const manifest of lineage.slice(0, -1)) {
      const step = await this.#step(manifest.version, dims);
      if (!step) break;
      steps.push(step);
    }
    this.#chain.setChain(steps, { version: current, dims });
    const reached = new Set([current, ...steps.map((step) => step.toVersion)]);
    return new Set(versions.filter((version) => reached.has(version)));
  }

  /** The edge from `version` to its parent; undefined when it has none or its file was refused. */
  async #step(version: string, dims: number): Promise<Compensator | undefined> {
    const cached = this.#steps.get(version);
    if (cached) return cached;
    const manifest = this.versions.get(version);
    if (!manifest.compensator || !manifest.parent) return undefined;
    const key = `${version}/${manifest.compensator.file}`;
    if (this.#refused.has(key)) return undefined;
    try {
      const loaded = await loadCompensator(this.versions.filePath(version, manifest.compensator.file), {
        expectedDims: dims,
      });
      // The manifest, not the file, names the edge: a file is only ever read from its own version.
      const step = new Compensator({ ...loaded.toSpec(), fromVersion: version, toVersion: manifest.parent });
      this.#steps.set(version, step);
      return step;
    } catch (error) {
      this.#refused.set(key, { version: manifest.parent, reason: (error as Error).message });
      return undefined;
    }
  }

  /** The versions from `version` back towards v0, newest first, up to a damaged (unloadable) one. */
  #lineage(version: string): VersionManifest[] {
    const chain: VersionManifest[] = [];
    const loaded = new Set(this.versions.list().map((manifest) => manifest.version));
    for (let at: string | undefined = version; at && loaded.has(at); at = this.versions.get(at).parent)
      chain.push(this.versions.get(at));
    return chain;
  }

  #rowCounts(): Promise<Record<string, number>> {
    this.#rows ??= this.index.countRowsByVersion();
    return this.#rows;
  }
}

/** The older version a forward map file (`forward-<version>.json`) takes. */
function fromOf(file: string): string | undefined {
  return /^forward-(.+)\.json$/.exec(file)?.[1];
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
