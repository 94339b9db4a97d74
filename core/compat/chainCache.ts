import { DriftlessError } from '../base/index.ts';
import { Compensator } from './compensator.ts';
import { composePrefixes } from './composeChain.ts';

/**
 * Maps from the current encoder version into every older version, composed once and reused for
 * every query. Setting a different chain (a new version published, a rollback) drops them all.
 */
export class CompensatorChainCache {
  #steps: readonly Compensator[] = [];
  #maps = new Map<string, Compensator>();
  #current: string | undefined;
  #dims = 0;

  /**
   * Replaces the chain: steps newest first, each mapping one version into the previous one.
   * Returns false (and keeps the cache) when the chain is the same one already held.
   * @throws DriftlessError INVALID_ARGUMENT for a broken chain.
   */
  setChain(steps: readonly Compensator[], current?: { version: string; dims: number }): boolean {
    if (sameSteps(steps, this.#steps) && (!current || current.version === this.#current)) return false;
    const first = steps[0];
    const version = current?.version ?? first?.fromVersion;
    const dims = current?.dims ?? first?.dims ?? 0;
    if (first && (first.fromVersion !== version || first.dims !== dims)) {
      throw new DriftlessError(
        'INVALID_ARGUMENT',
        `The chain starts at ${first.fromVersion} (${first.dims}-d), not ${version} (${dims}-d).`,
      );
    }
    const prefixes = composePrefixes(steps);
    this.#current = version;
    this.#dims = dims;
    this.#steps = [...steps];
    this.#maps = new Map(prefixes.map((map) => [map.toVersion, map]));
    return true;
  }

  /** Drops every cached map and the chain. */
  clear(): void {
    this.#steps = [];
    this.#maps.clear();
    this.#current = undefined;
  }

  get currentVersion(): string | undefined {
    return this.#current;
  }

  /** The current version and every older version reachable through the chain, newest first. */
  versions(): string[] {
    return this.#current === undefined ? [] : [this.#current, ...this.#maps.keys()];
  }

  /**
   * The map from the current version into `version` (the identity for the current version itself).
   * @throws DriftlessError NOT_FOUND when the chain does not reach that version.
   */
  get(version: string): Compensator {
    if (version === this.#current) return Compensator.identity(this.#dims, version);
    const map = this.#maps.get(version);
    if (!map)
      throw new DriftlessError('NOT_FOUND', `No compensator chain reaches encoder version ${version}.`);
    return map;
  }
}

function sameSteps(a: readonly Compensator[], b: readonly Compensator[]): boolean {
  return a.length === b.length && a.every((step, i) => step === b[i]);
}
