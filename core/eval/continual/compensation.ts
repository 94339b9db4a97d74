import { SeededRandom } from '../../base/index.ts';
import { composeChain, fitCompensators, fitForwardMap } from '../../compat/index.ts';
import type { Compensator, FittedKind, ForwardMap } from '../../compat/index.ts';
import { current, type Chain } from './chains.ts';
import type { ChunkedCorpus } from './corpus.ts';
import { measure } from './cost.ts';
import type { EmbeddingCache, Version } from './embeddings.ts';
import type { Task } from './tasks.ts';
import type { Cost } from './types.ts';

/**
 * The compensators of one trained chain, one list per kind: step s maps version s to version s-1.
 * A query of the newest version reaches an older segment through the composed chain.
 */
export class CompensatorChains {
  readonly #steps = new Map<FittedKind, Compensator[]>();
  readonly #composed = new Map<string, Compensator>();

  add(kind: FittedKind, step: Compensator): void {
    this.#steps.set(kind, [...(this.#steps.get(kind) ?? []), step]);
    this.#composed.clear();
  }

  /** The map from the newest version into the space of `target`; undefined when it is the newest. */
  toVersion(kind: FittedKind, target: string): Compensator | undefined {
    const steps = this.#steps.get(kind) ?? [];
    const from = steps.findIndex((step) => step.toVersion === target);
    if (from < 0) return undefined;
    const key = `${kind}\u0000${target}`;
    let composed = this.#composed.get(key);
    if (!composed) {
      composed = composeChain(steps.slice(from).reverse());
      this.#composed.set(key, composed);
    }
    return composed;
  }
}

export interface FitStageResult {
  fitted: Map<FittedKind, Compensator>;
  embedding: Cost & { texts: number };
  fitting: Record<string, Cost>;
}

/**
 * Fits one compensator per kind from `next` back to `previous` on the task's training queries and
 * a seeded sample of its documents (first chunks), each embedded by both versions.
 */
export async function fitStage(
  task: Task,
  corpus: ChunkedCorpus,
  versions: { previous: Version; next: Version },
  settings: { kinds: readonly FittedKind[]; fitDocs: number; seed: number; cache: EmbeddingCache },
  signal?: AbortSignal,
): Promise<FitStageResult> {
  const queries = task.trainQueries.map((query) => query.text);
  const docs = new SeededRandom(settings.seed)
    .sample([...corpus.firstChunk.values()], settings.fitDocs)
    .map((chunk) => chunk.embeddingText);
  const { cache } = settings;
  const embedded = await measure(async () => {
    const side = async (version: Version) => [
      ...(await cache.queries(version, queries, signal)),
      ...(await cache.documents(version, docs, signal)).vectors,
    ];
    return { oldVecs: await side(versions.previous), newVecs: await side(versions.next) };
  });
  const fitted = new Map<FittedKind, Compensator>();
  const fitting: Record<string, Cost> = {};
  for (const kind of settings.kinds) {
    const { value, cost } = await measure(() =>
      fitCompensators(
        embedded.value,
        {
          kinds: [kind],
          seed: settings.seed,
          fromVersion: versions.next.label,
          toVersion: versions.previous.label,
        },
        signal,
      ),
    );
    fitted.set(kind, value.best);
    fitting[kind] = cost;
  }
  return { fitted, embedding: { ...embedded.cost, texts: queries.length + docs.length }, fitting };
}

/**
 * Fits a direct forward map from every older segment of the chain's index to its newest version,
 * on a seeded sample of that segment's own rows (at most `fitDocs`): their stored vectors, and the
 * same texts embedded by the newest version (the only encoder pass; its cost is reported).
 */
export async function fitForwardMaps(
  chain: Chain,
  corpora: readonly ChunkedCorpus[],
  settings: { fitDocs: number; seed: number; cache: EmbeddingCache },
  signal?: AbortSignal,
): Promise<{ maps: Map<string, ForwardMap>; cost: Cost & { texts: number; fitMs: number } }> {
  const newest = current(chain);
  const maps = new Map<string, ForwardMap>();
  let texts = 0;
  let fitMs = 0;
  const { cost } = await measure(async () => {
    for (const version of chain.versions.slice(0, -1)) {
      const tasks = new Set(chain.index.tasksIn(version.label));
      if (tasks.size === 0) continue;
      const rows = corpora.filter((corpus) => tasks.has(corpus.folderId)).flatMap((corpus) => corpus.chunks);
      const anchors = new SeededRandom(settings.seed)
        .sample(rows, settings.fitDocs)
        .map((chunk) => chunk.embeddingText);
      texts += anchors.length;
      const stored = (await settings.cache.documents(version, anchors, signal)).vectors;
      const fresh = await uncachedDocuments(newest, anchors, signal);
      const started = performance.now();
      const { map } = await fitForwardMap(
        { stored, current: fresh },
        { fromVersion: version.label, toVersion: newest.label, seed: settings.seed },
        signal,
      );
      fitMs += performance.now() - started;
      maps.set(version.label, map);
    }
  });
  return { maps, cost: { ...cost, texts, fitMs } };
}

/** The newest version embeds the anchors itself: that pass is part of what forward maps cost. */
function uncachedDocuments(version: Version, texts: string[], signal?: AbortSignal) {
  return version.encoder.embedDocuments(texts, signal);
}
