import { SeededRandom, signals } from '../../adapt/index.ts';
import type { TrainingPair } from '../../adapt/index.ts';
import type { ChunkedCorpus } from './corpus.ts';
import type { EmbeddingCache, Version } from './embeddings.ts';
import type { FamilyIndex } from './familyIndex.ts';
import type { Task } from './tasks.ts';

export interface PairSettings {
  negativesPerPair: number;
  selfSupervisedPairs: number;
  /** Longest self-supervised passage in characters. */
  maxPassageChars: number;
  seed: number;
}

/** A task's training pairs for one chain: simulated feedback from qrels plus self-supervised ones. */
export interface TaskPairs {
  qrels: TrainingPair[];
  selfSupervised: TrainingPair[];
}

/**
 * Feedback pairs stand in for a user's clicks: each training query points at the first chunk of each
 * relevant document, with hard negatives from the chain's current version (top documents of the
 * task's rows that are not relevant). Self-supervised pairs point each note's title at its body.
 */
export async function taskPairs(
  task: Task,
  corpus: ChunkedCorpus,
  chain: { version: Version; index: FamilyIndex; cache: EmbeddingCache },
  settings: PairSettings,
  signal?: AbortSignal,
): Promise<TaskPairs> {
  const qrels = await feedbackPairs(task, corpus, chain, settings.negativesPerPair, signal);
  return { qrels, selfSupervised: titlePairs(corpus, settings) };
}

async function feedbackPairs(
  task: Task,
  corpus: ChunkedCorpus,
  chain: { version: Version; index: FamilyIndex; cache: EmbeddingCache },
  negativesPerPair: number,
  signal?: AbortSignal,
): Promise<TrainingPair[]> {
  const vectors = await chain.cache.queries(
    chain.version,
    task.trainQueries.map((query) => query.text),
    signal,
  );
  const pairs: TrainingPair[] = [];
  for (const [i, query] of task.trainQueries.entries()) {
    const relevant = [...(task.trainQrels.get(query.id) ?? [])]
      .filter(([, grade]) => grade > 0)
      .map(([id]) => id);
    const negatives = await hardNegatives(
      vectors[i]!,
      new Set(relevant),
      task,
      corpus,
      chain,
      negativesPerPair,
    );
    for (const docId of relevant) {
      const positive = corpus.firstChunk.get(docId);
      if (positive)
        pairs.push({ query: query.text, positive: positive.embeddingText, negatives, source: 'qrels' });
    }
  }
  return pairs;
}

async function hardNegatives(
  vector: Float32Array,
  relevant: ReadonlySet<string>,
  task: Task,
  corpus: ChunkedCorpus,
  chain: { version: Version; index: FamilyIndex },
  count: number,
): Promise<string[]> {
  if (count <= 0) return [];
  const hits = await chain.index.searchDocs(vector, {
    version: chain.version.label,
    task: task.key,
    depth: count + relevant.size,
  });
  return hits
    .filter((hit) => !relevant.has(hit.docId))
    .slice(0, count)
    .map((hit) => corpus.firstChunk.get(hit.docId)?.embeddingText)
    .filter((text): text is string => text !== undefined);
}

function titlePairs(corpus: ChunkedCorpus, settings: PairSettings): TrainingPair[] {
  const byNote = new Map<string, ChunkedCorpus['chunks']>();
  for (const chunk of corpus.chunks) {
    const chunks = byNote.get(chunk.notePath);
    if (chunks) chunks.push(chunk);
    else byNote.set(chunk.notePath, [chunk]);
  }
  const all = [...byNote].flatMap(([notePath, chunks]) =>
    signals.titlePairs(
      {
        folderId: corpus.folderId,
        notePath,
        title: chunks[0]!.title,
        sections: chunks.slice(0, 1).map((chunk) => ({ headingPath: chunk.headingPath, text: chunk.text })),
        encoderVersion: '',
      },
      settings.maxPassageChars,
    ),
  );
  return new SeededRandom(settings.seed).sample(all, settings.selfSupervisedPairs);
}
