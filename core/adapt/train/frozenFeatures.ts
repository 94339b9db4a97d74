import * as ort from 'onnxruntime-node';
import { DriftlessError } from '../../base/index.ts';
import { createProviderSession, type InferenceRuntime } from '../../encoder/executionProviders.ts';
import type { UseLiteTokenizer } from '../../encoder/index.ts';
import { toDenseInputs } from '../../encoder/useLite/batching.ts';
import { MODEL_IO } from '../../encoder/useLite/buildModel.ts';
import { FROZEN_IO } from './frozenModel.ts';
import { PhaseClock } from './phaseClock.ts';

/** One text's token states after the frozen layers: `tokens` rows of `width` floats, no padding. */
export interface TokenStates {
  readonly tokens: number;
  readonly data: Float32Array;
}

const ROWS_PER_RUN = 64;
const DEFAULT_CACHE_BYTES = 512 * 1024 * 1024;

/**
 * Token states of the frozen part, computed on onnxruntime and cached per text for one training
 * run (queries and positives come back every epoch). Texts run in groups of equal token count, so
 * no row is padded and a text's states do not depend on which texts share its batch: a resumed
 * run sees exactly the features of an uninterrupted one.
 */
export class FrozenFeatures {
  private readonly cache = new Map<string, TokenStates>();
  private cachedBytes = 0;

  constructor(
    private readonly session: ort.InferenceSession,
    private readonly tokenizer: UseLiteTokenizer,
    readonly width: number,
    /** The onnxruntime execution provider the frozen layers run on, and why. */
    readonly runtime: InferenceRuntime,
    private readonly maxCacheBytes = DEFAULT_CACHE_BYTES,
  ) {}

  /** Opens the frozen part on the first of `providers` that starts (default: the platform's GPU, then cpu). */
  static async open(
    model: Uint8Array,
    tokenizer: UseLiteTokenizer,
    threads: number,
    providers?: readonly string[],
  ): Promise<FrozenFeatures> {
    const options: ort.InferenceSession.SessionOptions = {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    };
    const { session, runtime } = await createProviderSession(ort, model, options, providers);
    return new FrozenFeatures(session, tokenizer, 512, runtime);
  }

  /** The states of each text, in order; `clock` gets the tokenizer's and onnxruntime's time. */
  async statesOf(texts: readonly string[], clock = new PhaseClock()): Promise<TokenStates[]> {
    const missing = [...new Set(texts.filter((text) => !this.cache.has(text)))];
    const tokenized = clock.timeSync('tokenize', () =>
      missing.map((text) => ({ text, ids: this.tokenizer.encodeTruncated(text) })),
    );
    const fresh = new Map<string, TokenStates>();
    for (const group of groupByLength(tokenized)) {
      const states = await clock.time('frozenForward', () => this.run(group.map((item) => item.ids)));
      group.forEach((item, i) => fresh.set(item.text, states[i] ?? { tokens: 0, data: new Float32Array() }));
    }
    const result = texts.map((text) => this.cache.get(text) ?? fresh.get(text) ?? emptyStates());
    for (const [text, states] of fresh) this.remember(text, states);
    return result;
  }

  async close(): Promise<void> {
    this.cache.clear();
    await this.session.release();
  }

  private async run(ids: ReadonlyArray<readonly number[]>): Promise<TokenStates[]> {
    const tokens = ids[0]?.length ?? 0;
    if (tokens === 0) return ids.map(emptyStates);
    const { inputIds, mask, width } = toDenseInputs(ids);
    const dims = [ids.length, width];
    const output = await this.session.run(
      {
        [MODEL_IO.inputIds]: new ort.Tensor('int64', inputIds, dims),
        [MODEL_IO.attentionMask]: new ort.Tensor('int64', mask, dims),
      },
      [FROZEN_IO.states],
    );
    const data = output[FROZEN_IO.states]?.data;
    if (!(data instanceof Float32Array))
      throw new DriftlessError('INTERNAL', 'The frozen encoder part returned no token states.');
    const size = tokens * this.width;
    return ids.map((_, row) => ({ tokens, data: data.slice(row * size, (row + 1) * size) }));
  }

  /** Keeps the most recently computed texts within the byte budget. */
  private remember(text: string, states: TokenStates): void {
    this.cache.set(text, states);
    this.cachedBytes += states.data.byteLength;
    for (const [oldest, old] of this.cache) {
      if (this.cachedBytes <= this.maxCacheBytes) break;
      this.cache.delete(oldest);
      this.cachedBytes -= old.data.byteLength;
    }
  }
}

function emptyStates(): TokenStates {
  return { tokens: 0, data: new Float32Array() };
}

/** Groups of at most ROWS_PER_RUN items that all have the same token count. */
function groupByLength<T extends { ids: readonly number[] }>(items: readonly T[]): T[][] {
  const byLength = new Map<number, T[]>();
  for (const item of items) {
    const same = byLength.get(item.ids.length);
    if (same) same.push(item);
    else byLength.set(item.ids.length, [item]);
  }
  const groups: T[][] = [];
  for (const same of byLength.values()) {
    for (let i = 0; i < same.length; i += ROWS_PER_RUN) groups.push(same.slice(i, i + ROWS_PER_RUN));
  }
  return groups;
}
