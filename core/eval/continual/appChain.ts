import {
  DEFAULT_GATE,
  runGate,
  signals,
  type EncoderTrainer,
  type GateCheck,
  type GateEvidence,
  type ChunksOfNotes,
  type NoteSearch,
  type TrainingPair,
  type TrainOptions,
} from '../../adapt/index.ts';
import { SeededRandom, type ProgressListener } from '../../base/index.ts';
import type { ForwardMap } from '../../compat/index.ts';
import { appSearch, shownResults } from './appSearch.ts';
import { current, trainChain, type Chain, type TrainedStep } from './chains.ts';
import { fitForwardMaps } from './compensation.ts';
import type { ChunkedCorpus, CorpusChunk } from './corpus.ts';
import { docKey } from './familyIndex.ts';
import type { EmbeddingCache } from './embeddings.ts';
import type { MethodView } from './evaluateStage.ts';
import { taskPairs, type PairSettings, type TaskPairs } from './pairs.ts';
import type { Task } from './tasks.ts';

/** Share of a task's training queries the app holds out for its gate (never trained on). */
const GATE_SHARE = 0.2;
const GATE_DEPTH = 10;

/** What the app decided about one stage's candidate. */
export interface AppVerdict {
  passed: boolean;
  reasons: string[];
  metrics: Record<string, number>;
  /** Per judged query: reciprocal ranks in hybrid, dense and full text (which no version changes). */
  evidence: GateEvidence[];
}

/**
 * The app as it ships: a chain that trains on the task's pairs minus a held-out share of its
 * training queries, fits direct forward maps from every older segment, and adopts the candidate
 * only when the app's gate (its own search over the live mixed index: a gain beyond noise in dense
 * on queries judged by meaning, no loss beyond noise in hybrid) says so, keeping the anchor notes' new vectors; a refused candidate is dropped
 * and the next task trains from the last adopted version.
 */
export class AppChain {
  forward = new Map<string, ForwardMap>();
  readonly #gatePairs: TrainingPair[] = [];

  constructor(readonly chain: Chain) {}

  /** The method view searching this chain as the app does. */
  view(): MethodView {
    return {
      name: 'app',
      index: this.chain.index,
      queryVersion: current(this.chain),
      compensatorFor: () => undefined,
      forwardFor: (segment) => this.forward.get(segment),
    };
  }

  async stage(
    task: Task,
    corpus: ChunkedCorpus,
    corpora: readonly ChunkedCorpus[],
    settings: {
      trainer: EncoderTrainer;
      train: TrainOptions;
      pairs: PairSettings;
      fitDocs: number;
      cache: EmbeddingCache;
      workDir: string;
      stage: number;
    },
    onProgress?: ProgressListener,
    signal?: AbortSignal,
  ): Promise<{ trained: TrainedStep; verdict: AppVerdict }> {
    const before = this.view();
    const pairs = await taskPairs(
      task,
      { corpus, corpora },
      {
        version: current(this.chain),
        index: this.chain.index,
        cache: settings.cache,
        search: shownResults(before, settings.cache),
      },
      settings.pairs,
      signal,
    );
    const { gate, train } = splitForGate(pairs, settings.pairs.seed);
    const trained = await trainChain(
      this.chain,
      settings.trainer,
      { pairs: train, options: settings.train, workDir: settings.workDir, stage: settings.stage },
      onProgress,
      signal,
    );
    const fitted = await fitForwardMaps(
      this.chain,
      corpora,
      { fitDocs: settings.fitDocs, seed: settings.pairs.seed, cache: settings.cache },
      signal,
    );
    // The candidate's view: its queries embedded by the version just trained, old rows mapped to it.
    const after: MethodView = { ...this.view(), forwardFor: (segment) => fitted.maps.get(segment) };
    const [searchBefore, searchAfter] = [appSearch(before, settings.cache), appSearch(after, settings.cache)];
    const check = (mode: 'hybrid' | 'dense'): GateCheck => ({
      name: mode,
      current: (query, hidden, s) => searchBefore(query, mode, GATE_DEPTH, s, hidden),
      candidate: (query, hidden, s) => searchAfter(query, mode, GATE_DEPTH, s, hidden),
    });
    // Not the app's: full text alone tells which judged queries the encoder could change at all.
    const text: NoteSearch = (query, hidden, s) => searchBefore(query, 'text', GATE_DEPTH, s, hidden);
    const verdict = await runGate(
      {
        heldOut: gate,
        oldPairs: this.#gatePairs,
        checks: [check('dense'), check('hybrid'), { name: 'text', current: text, candidate: text }],
        options: DEFAULT_GATE,
        chunksOf: corpusChunksOf(corpora),
      },
      signal,
    );
    this.#gatePairs.push(...gate);
    const corrected = [...fitted.maps.values()].filter((map) => map.correction).length;
    if (!verdict.passed) {
      this.chain.versions.pop();
      return { trained, verdict: { ...verdict, metrics: { ...verdict.metrics, correctedMaps: corrected } } };
    }
    this.forward = fitted.maps;
    // As the app's `keepAnchors`: the notes the maps were fitted on keep their new vectors.
    for (const anchors of fitted.anchors)
      await this.chain.index.rewriteRows(
        anchors.corpus,
        anchors.rows,
        current(this.chain).label,
        anchors.vectors,
      );
    const kept = fitted.anchors.reduce((sum, anchors) => sum + anchors.rows.length, 0);
    return {
      trained,
      verdict: {
        ...verdict,
        metrics: { ...verdict.metrics, anchorRowsKept: kept, correctedMaps: corrected },
      },
    };
  }
}

/**
 * The app's held-out share, never trained on: a fifth of the training queries (all of a query's
 * pairs together, so its text is never trained on) and, as the app's own `planPairs` does, the
 * self-supervised pairs of a fifth of the notes. The app judges on up to the gate's query budget of
 * its held-out notes' pairs; a quick run trains on a small sample, so the gate's share is topped up
 * from notes no training pair names, to the evidence the app would have.
 */
function splitForGate(pairs: TaskPairs, seed: number): { gate: TrainingPair[]; train: TrainingPair[] } {
  const texts = [...new Set(pairs.queries.map((pair) => pair.query))];
  const random = new SeededRandom(seed ^ 0x9e3779b9);
  const heldOutTexts = new Set(random.sample(texts, Math.round(texts.length * GATE_SHARE)));
  const notes = signals.holdOut(pairs.selfSupervised, GATE_SHARE, seed);
  const train = [...pairs.queries.filter((pair) => !heldOutTexts.has(pair.query)), ...notes.train];
  const gate = [...pairs.queries.filter((pair) => heldOutTexts.has(pair.query)), ...notes.heldOut];
  const trainedNotes = new Set(train.flatMap((pair) => pair.note ?? []));
  const judged = new Set(gate);
  const unseen = pairs.selfSupervisedPool.filter(
    (pair) => pair.note && !trainedNotes.has(pair.note) && !judged.has(pair),
  );
  gate.push(...random.sample(unseen, Math.max(0, DEFAULT_GATE.maxQueries - gate.length)));
  return { gate, train };
}

/** The gate's `chunksOf` over the benchmark's corpora, whose pairs name notes by document key. */
function corpusChunksOf(corpora: readonly ChunkedCorpus[]): ChunksOfNotes {
  const byDoc = new Map<string, CorpusChunk[]>();
  for (const corpus of corpora)
    for (const chunk of corpus.chunks) {
      const key = docKey(corpus.folderId, chunk.docId);
      const chunks = byDoc.get(key);
      if (chunks) chunks.push(chunk);
      else byDoc.set(key, [chunk]);
    }
  return async (notes) => new Map(notes.map((note) => [note, byDoc.get(note) ?? []]));
}
