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

/** Rows of one task that the newest version embedded as anchors (whole notes), with its vectors. */
export interface TaskAnchors {
  corpus: ChunkedCorpus;
  rows: number[];
  vectors: Float32Array[];
}

/**
 * Fits a direct forward map from every older segment of the chain's index to its newest version,
 * on a seeded sample of that segment's own notes, whole, up to `fitDocs` rows (as the app's
 * `fitForwardMaps` samples): their stored vectors, and the same texts embedded by the newest
 * version (the only encoder pass; its cost is reported). The anchors come back for the app's
 * chain, which keeps them once the version is adopted.
 */
export async function fitForwardMaps(
  chain: Chain,
  corpora: readonly ChunkedCorpus[],
  settings: { fitDocs: number; seed: number; cache: EmbeddingCache },
  signal?: AbortSignal,
): Promise<{
  maps: Map<string, ForwardMap>;
  anchors: TaskAnchors[];
  cost: Cost & { texts: number; fitMs: number };
}> {
  const newest = current(chain);
  const maps = new Map<string, ForwardMap>();
  const anchors: TaskAnchors[] = [];
  let texts = 0;
  let fitMs = 0;
  const { cost } = await measure(async () => {
    for (const version of chain.versions.slice(0, -1)) {
      const rows = anchorRows(chain, corpora, version.label, settings);
      if (rows.length === 0) continue;
      const anchorTexts = rows.map(({ corpus, row }) => corpus.chunks[row]!.embeddingText);
      texts += anchorTexts.length;
      const stored = (await settings.cache.documents(version, anchorTexts, signal)).vectors;
      const fresh = await uncachedDocuments(newest, anchorTexts, signal);
      for (const corpus of new Set(rows.map((anchor) => anchor.corpus))) {
        const mine = rows.flatMap((anchor, i) => (anchor.corpus === corpus ? [i] : []));
        anchors.push({ corpus, rows: mine.map((i) => rows[i]!.row), vectors: mine.map((i) => fresh[i]!) });
      }
      const started = performance.now();
      const { map } = await fitForwardMap(
        { stored, current: fresh, notes: rows.map(noteOf) },
        { fromVersion: version.label, toVersion: newest.label, seed: settings.seed },
        signal,
      );
      fitMs += performance.now() - started;
      maps.set(version.label, map);
    }
  });
  return { maps, anchors, cost: { ...cost, texts, fitMs } };
}

/**
 * A seeded sample of a segment's rows, widened to whole notes within `fitDocs` rows, in sample
 * order (a note's unsampled rows last), as the app samples its anchors.
 */
function anchorRows(
  chain: Chain,
  corpora: readonly ChunkedCorpus[],
  version: string,
  settings: { fitDocs: number; seed: number },
): { corpus: ChunkedCorpus; row: number }[] {
  const segment = corpora.flatMap((corpus) =>
    chain.index
      .rowVersionsOf(corpus.folderId)
      .flatMap((label, row) => (label === version ? [{ corpus, row }] : [])),
  );
  const sampled = new SeededRandom(settings.seed).sample(segment, settings.fitDocs);
  const rowsOf = new Map<string, { corpus: ChunkedCorpus; row: number }[]>();
  for (const anchor of segment) rowsOf.set(noteOf(anchor), [...(rowsOf.get(noteOf(anchor)) ?? []), anchor]);
  const picked = new Set<string>();
  let budget = settings.fitDocs;
  for (const note of new Set(sampled.map(noteOf))) {
    const size = rowsOf.get(note)!.length;
    if (size > budget) continue;
    picked.add(note);
    budget -= size;
  }
  const position = new Map(sampled.map((anchor, i) => [anchor, i]));
  const at = (anchor: { corpus: ChunkedCorpus; row: number }) => position.get(anchor) ?? sampled.length;
  return [...picked].flatMap((note) => rowsOf.get(note)!).sort((a, b) => at(a) - at(b));
}

/** The note a row belongs to, unique across the chain's tasks. */
function noteOf({ corpus, row }: { corpus: ChunkedCorpus; row: number }): string {
  return `${corpus.folderId}/${corpus.chunks[row]!.notePath}`;
}

/** The newest version embeds the anchors itself: that pass is part of what forward maps cost. */
function uncachedDocuments(version: Version, texts: string[], signal?: AbortSignal) {
  return version.encoder.embedDocuments(texts, signal);
}
