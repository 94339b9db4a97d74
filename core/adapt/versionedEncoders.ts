import path from 'node:path';
import type { Encoder } from '../encoder/index.ts';
import type { VersionStore } from '../versions/index.ts';

/** Loads the encoder of a trained version from its version folder. */
export type LoadVersionEncoder = (versionDir: string, version: string) => Promise<Encoder>;

/**
 * The encoder of each published version, loaded on first use and kept: v0 is the bundled
 * (pretrained) encoder, every later version is loaded from its folder. `current()` follows the
 * store's current version, so a promotion or rollback switches what new notes and queries use.
 */
export class VersionedEncoders {
  readonly #loaded = new Map<string, Promise<Encoder>>();
  /** The encoders whose loading has finished, for callers that must not wait for a load. */
  readonly #ready = new Map<string, Encoder>();

  constructor(
    private readonly versions: VersionStore,
    private readonly loadBase: () => Promise<Encoder>,
    private readonly loadVersion: LoadVersionEncoder,
  ) {}

  get currentVersion(): string {
    return this.versions.current.version;
  }

  current(): Promise<Encoder> {
    return this.get(this.currentVersion);
  }

  /** @throws DriftlessError NOT_FOUND for a version the store does not hold. */
  get(version: string): Promise<Encoder> {
    this.versions.get(version);
    let encoder = this.#loaded.get(version);
    if (!encoder) {
      encoder =
        version === 'v0' ? this.loadBase() : this.loadVersion(path.join(this.versions.dir, version), version);
      encoder.then(
        (loaded) => this.#ready.set(version, loaded),
        () => this.#loaded.delete(version),
      );
      this.#loaded.set(version, encoder);
    }
    return encoder;
  }

  /** The encoder of `version` if it has finished loading; never starts a load. */
  loaded(version: string): Encoder | undefined {
    return this.#loaded.has(version) ? this.#ready.get(version) : undefined;
  }

  /** Closes every encoder loaded so far. */
  async close(): Promise<void> {
    const loaded = await Promise.allSettled(this.#loaded.values());
    this.#loaded.clear();
    this.#ready.clear();
    for (const result of loaded) if (result.status === 'fulfilled') await result.value.close();
  }
}
