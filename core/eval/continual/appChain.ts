import {
  DEFAULT_GATE,
  runGate,
  SeededRandom,
  type EncoderTrainer,
  type GateCheck,
  type TrainOptions,
} from '../../adapt/index.ts';
import type { ProgressListener } from '../../base/index.ts';
import type { ForwardMap } from '../../compat/index.ts';
import type { BeirQuery } from '../index.ts';
import { appSearch } from './appSearch.ts';
import { current, trainChain, type Chain, type TrainedStep } from './chains.ts';
import { fitForwardMaps } from './compensation.ts';
import type { ChunkedCorpus } from './corpus.ts';
import type { EmbeddingCache } from './embeddings.ts';
import type { MethodView } from './evaluateStage.ts';
import { docKey } from './familyIndex.ts';
import { taskPairs, type PairSettings } from './pairs.ts';
import type { Task } from './tasks.ts';

/** Share of a task's training queries the app holds out for its gate (never trained on). */
const GATE_SHARE = 0.2;
const GATE_DEPTH = 10;

/** A held-out query and the document it should find, as the gate's pairs. */
interface GateQuery {
  query: string;
  note: string;
}

/** What the app decided about one stage's candidate. */
export interface AppVerdict {
  passed: boolean;
  reasons: string[];
  metrics: Record<string, number>;
}

/**
 * The app as it ships: a chain that trains on the task's pairs minus a held-out share of its
 * training queries, fits direct forward maps from every older segment, and adopts the candidate
 * only when the app's gate (its own search over the live mixed index, strict gain in hybrid, no
 * loss in dense) says so; a refused candidate is dropped and the next task trains from the last
 * adopted version.
 */
export class AppChain {
  forward = new Map<string, ForwardMap>();
  readonly #gateQueries: GateQuery[] = [];

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
    const { gate, train } = splitQueries(task.trainQueries, settings.pairs.seed);
    const before = this.view();
    const pairs = await taskPairs(
      { ...task, trainQueries: train },
      corpus,
      { version: current(this.chain), index: this.chain.index, cache: settings.cache },
      settings.pairs,
      signal,
    );
    const trained = await trainChain(
      this.chain,
      settings.trainer,
      {
        pairs: [...pairs.qrels, ...pairs.selfSupervised],
        options: settings.train,
        workDir: settings.workDir,
        stage: settings.stage,
      },
      onProgress,
      signal,
    );
    const fitted = await fitForwardMaps(
      this.chain,
      corpora,
      { fitDocs: settings.fitDocs, seed: settings.pairs.seed, cache: settings.cache },
      signal,
    );
    const fresh = gate.flatMap((query) => gateQuery(task, query));
    const after: MethodView = { ...this.view(), forwardFor: (segment) => fitted.maps.get(segment) };
    const [searchBefore, searchAfter] = [appSearch(before, settings.cache), appSearch(after, settings.cache)];
    const check = (mode: 'hybrid' | 'dense'): GateCheck => ({
      name: mode,
      current: (query, s) => searchBefore(query, mode, GATE_DEPTH, s),
      candidate: (query, s) => searchAfter(query, mode, GATE_DEPTH, s),
    });
    const verdict = await runGate(
      {
        heldOut: fresh.map(asPair),
        oldPairs: this.#gateQueries.map(asPair),
        checks: [check('hybrid'), check('dense')],
        options: DEFAULT_GATE,
      },
      signal,
    );
    this.#gateQueries.push(...fresh);
    if (verdict.passed) this.forward = fitted.maps;
    else this.chain.versions.pop();
    return { trained, verdict };
  }
}

function splitQueries(queries: readonly BeirQuery[], seed: number) {
  const shuffled = new SeededRandom(seed ^ 0x9e3779b9).shuffle(queries);
  const count = Math.round(queries.length * GATE_SHARE);
  return { gate: shuffled.slice(0, count), train: shuffled.slice(count) };
}

function gateQuery(task: Task, query: BeirQuery): GateQuery[] {
  const relevant = [...(task.trainQrels.get(query.id) ?? [])].find(([, grade]) => grade > 0);
  return relevant ? [{ query: query.text, note: docKey(task.key, relevant[0]) }] : [];
}

function asPair(query: GateQuery) {
  return { query: query.query, positive: '', negatives: [], source: 'qrels' as const, note: query.note };
}
