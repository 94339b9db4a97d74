import path from 'node:path';
import { sharedTokenizer } from '../adapt/train/assets.ts';
import type { Encoder } from '../encoder/index.ts';
import { RemoteEncoder, type EncoderSource, type OffThreadHost } from '../jobs/offThread/index.ts';

/** Where the encoders of jobs come from: a source the heavy-work thread opens, else this thread's. */
export interface JobEncoderSources {
  host: OffThreadHost;
  /** How the worker opens `version` itself; undefined when only this thread can (tests' fixtures, downloaded models). */
  source(version: string): EncoderSource | undefined;
  /** This thread's encoder of `version`. */
  local(version: string): Promise<Encoder>;
}

/**
 * The encoders that imports, reindex, backfill and adaptation embed with. onnxruntime runs
 * synchronously on the thread that calls it, so on the app's thread every batch of an import held
 * up search for its duration; these run on the heavy-work thread and give the same vectors
 * (same model, same runtime). Queries keep the app thread's encoder: one short text each.
 */
export class JobEncoders {
  readonly #remote = new Map<string, Promise<RemoteEncoder>>();

  constructor(private readonly sources: JobEncoderSources) {}

  async get(version: string): Promise<Encoder> {
    const source = this.sources.source(version);
    if (!source) return this.sources.local(version);
    const open = this.#remote.get(version);
    // An earlier open that failed was reported to the job that asked for it: this one opens again.
    const encoder = await open?.catch(() => undefined);
    if (encoder?.alive) return encoder;
    const opening = sharedTokenizer().then((tokens) =>
      RemoteEncoder.open(this.sources.host, 'openEncoder', source, tokens),
    );
    this.#remote.set(version, opening);
    opening.catch(() => this.#remote.delete(version)); // the caller gets the failure itself
    return opening;
  }

  /** Releases every encoder opened on the heavy-work thread. */
  async close(): Promise<void> {
    const opened = await Promise.allSettled(this.#remote.values());
    this.#remote.clear();
    for (const result of opened) if (result.status === 'fulfilled') await result.value.close();
  }
}

/** The heavy-work thread's source of a bundled-encoder version: v0 from the model cache, vN from its folder. */
export function bundledSource(
  version: string,
  paths: { cacheDir: string; versionsDir: string },
): EncoderSource {
  return version === 'v0'
    ? { kind: 'bundled', cacheDir: paths.cacheDir }
    : { kind: 'version', dir: path.join(paths.versionsDir, version), version };
}
