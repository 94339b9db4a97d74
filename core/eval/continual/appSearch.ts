import type { Encoder } from '../../encoder/index.ts';
import {
  forwardMerge,
  rankMerge,
  searchNotes,
  type SearchMode,
  type SearchOptions,
  type VectorsByVersion,
  weightedRankFusion,
} from '../../search/index.ts';
import type { EmbeddingCache } from './embeddings.ts';
import type { MethodView } from './evaluateStage.ts';
import type { DocSearch } from './pairs.ts';

/**
 * One method's search through the app's own path (`searchNotes`: version merge, grouping by note,
 * hybrid fusion as shipped for the bundled encoder) over its mixed index. A method with forward
 * maps reads the index the way the app now does; the others map queries into each segment and
 * merge by rank, the way the app did before.
 */
export function appSearch(method: MethodView, cache: EmbeddingCache) {
  const encoder = cachedEncoder(method, cache);
  // The app's fusion for the bundled encoder until it has chosen one from the notes (fusionChoice.ts).
  const options: SearchOptions = { ...appSpace(method), fusion: weightedRankFusion({ dense: 0.3 }) };
  return async (
    query: string,
    mode: SearchMode,
    depth: number,
    signal?: AbortSignal,
    hidden: readonly string[] = [],
  ) => {
    const { hits } = await searchNotes(
      method.index.inner,
      encoder,
      { query, mode, limit: depth },
      { ...options, excludeChunkIds: hidden },
      signal,
    );
    return hits.flatMap((hit) => method.index.docOf(hit.folderId, hit.notePath) ?? []);
  };
}

/** What a user of the app is shown for a query over this method's index: hybrid, doc keys best first. */
export function shownResults(method: MethodView, cache: EmbeddingCache): DocSearch {
  const search = appSearch(method, cache);
  return (query, depth, signal) => search(query, 'hybrid', depth, signal);
}

function appSpace(method: MethodView): Pick<SearchOptions, 'vectorsByVersion' | 'versionMerge'> {
  const segments = () => method.index.versions();
  if (method.forwardFor) {
    const forwardFor = method.forwardFor.bind(method);
    const vectorsByVersion: VectorsByVersion = async (query, encoder) =>
      new Map([
        [encoder.version, query],
        ...segments().flatMap((version) => {
          const map = version === encoder.version ? undefined : forwardFor(version);
          return map ? [[version, map.searchVector(query)] as const] : [];
        }),
      ]);
    return {
      vectorsByVersion,
      versionMerge: forwardMerge({
        forwardFor,
        storedVectors: (ids, version) => method.index.storedVectors(ids, version),
      }),
    };
  }
  const vectorsByVersion: VectorsByVersion = async (query) =>
    new Map(segments().map((version) => [version, method.compensatorFor(version)?.apply(query) ?? query]));
  return { vectorsByVersion, versionMerge: rankMerge() };
}

/** The method's query encoder under the name its index gives the version, embedding through the cache. */
function cachedEncoder(method: MethodView, cache: EmbeddingCache): Encoder {
  const { encoder, label } = method.queryVersion;
  return {
    backboneId: encoder.backboneId,
    version: label,
    dimensions: encoder.dimensions,
    maxTokens: encoder.maxTokens,
    countTokens: (text) => encoder.countTokens(text),
    embedDocuments: (texts, signal) => encoder.embedDocuments(texts, signal),
    embedQueries: (texts, signal) => cache.queries(method.queryVersion, texts, signal),
    close: async () => undefined,
  };
}
