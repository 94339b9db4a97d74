import { signals } from '../../adapt/index.ts';
import { SeededRandom } from '../../base/index.ts';
import type { TrainingPair } from '../../adapt/index.ts';
import type { FeedbackEvent } from '../../store/index.ts';
import type { ChunkedCorpus } from './corpus.ts';
import type { EmbeddingCache, Version } from './embeddings.ts';
import { docKey, type FamilyIndex } from './familyIndex.ts';
import type { Task } from './tasks.ts';

/**
 * What a task teaches the encoder with: its judged training queries (`labelled`), the app's own
 * self-supervised pairs alone (`self-supervised`), or the training queries typed into the app with
 * the judged results among the first ten opened (`feedback`), as the window records clicks.
 */
export const SIGNAL_SETTINGS = ['labelled', 'self-supervised', 'feedback'] as const;
export type SignalSetting = (typeof SIGNAL_SETTINGS)[number];

/** Results a simulated user looks at, as the window shows them. */
const SHOWN = 10;

export interface PairSettings {
  signals: SignalSetting;
  negativesPerPair: number;
  selfSupervisedPairs: number;
  /** Longest self-supervised passage in characters. */
  maxPassageChars: number;
  seed: number;
}

/** A chain's search as its user sees it: doc keys, best first. */
export type DocSearch = (query: string, depth: number, signal?: AbortSignal) => Promise<string[]>;

/** The chain a task's pairs are built for: its current version, its index and its search. */
export interface PairSource {
  version: Version;
  index: FamilyIndex;
  cache: EmbeddingCache;
  search: DocSearch;
}

/** A task's training pairs for one chain; every pair names its note (`docKey`) for held-out splits. */
export interface TaskPairs {
  /** From the task's training queries: judged results, or clicked ones; none when self-supervised. */
  queries: TrainingPair[];
  selfSupervised: TrainingPair[];
  /**
   * Every self-supervised pair of the task's notes, of which `selfSupervised` is a sample: the app's
   * gate judges on the pairs of a fifth of all notes, more than a quick run trains on.
   */
  selfSupervisedPool: TrainingPair[];
}

export async function taskPairs(
  task: Task,
  seen: { corpus: ChunkedCorpus; corpora: readonly ChunkedCorpus[] },
  source: PairSource,
  settings: PairSettings,
  signal?: AbortSignal,
): Promise<TaskPairs> {
  const self = selfSupervisedPairs(seen.corpus, settings);
  const queries =
    settings.signals === 'self-supervised'
      ? []
      : settings.signals === 'labelled'
        ? await labelledPairs(task, seen.corpus, source, settings.negativesPerPair, signal)
        : await feedbackPairs(task, seen.corpora, source, settings.negativesPerPair, signal);
  return { queries, ...self };
}

/** Each training query points at the first chunk of each judged document, with hard negatives. */
async function labelledPairs(
  task: Task,
  corpus: ChunkedCorpus,
  source: PairSource,
  negativesPerPair: number,
  signal?: AbortSignal,
): Promise<TrainingPair[]> {
  const texts = task.trainQueries.map((query) => query.text);
  const vectors = await source.cache.queries(source.version, texts, signal);
  const pairs: TrainingPair[] = [];
  for (const [i, query] of task.trainQueries.entries()) {
    const relevant = relevantDocs(task, query.id);
    const negatives = await hardNegatives(
      vectors[i]!,
      new Set(relevant),
      task,
      corpus,
      source,
      negativesPerPair,
    );
    for (const docId of relevant) {
      const positive = corpus.firstChunk.get(docId);
      if (positive)
        pairs.push({
          query: query.text,
          positive: positive.embeddingText,
          negatives,
          source: 'qrels',
          note: docKey(task.key, docId),
        });
    }
  }
  return pairs;
}

/**
 * The training queries typed into the app: every judged result among the first ten shown is
 * opened, and the app's own `pairsFromFeedback` turns those events into pairs (the opened note a
 * positive, the results passed over above it weak negatives), exactly as from the window's log.
 */
async function feedbackPairs(
  task: Task,
  corpora: readonly ChunkedCorpus[],
  source: PairSource,
  negativesPerPair: number,
  signal?: AbortSignal,
): Promise<TrainingPair[]> {
  const notes = noteNames(corpora);
  const events: FeedbackEvent[] = [];
  for (const query of task.trainQueries) {
    const shown = (await source.search(query.text, SHOWN, signal)).slice(0, SHOWN);
    const relevant = new Set(relevantDocs(task, query.id).map((id) => docKey(task.key, id)));
    const shownNotes = shown.map((key) => notes.byDoc.get(key)?.noteKey ?? key);
    for (const key of shown.filter((key) => relevant.has(key))) {
      const note = notes.byDoc.get(key)!;
      events.push({
        query: query.text,
        kind: 'open',
        folderId: note.folderId,
        notePath: note.notePath,
        shown: shownNotes,
        encoderVersion: source.version.label,
        atMs: 0,
      });
    }
  }
  return signals
    .pairsFromFeedback(events, (noteKey) => notes.byNote.get(noteKey)?.passage)
    .map((pair) => ({
      ...pair,
      negatives: pair.negatives.slice(0, negativesPerPair),
      note: notes.byNote.get(pair.note!)?.docKey,
    }));
}

interface NamedNote {
  folderId: string;
  notePath: string;
  noteKey: string;
  docKey: string;
  passage: string;
}

/** Every seen doc under both of its names: the benchmark's doc key and the app's note key. */
function noteNames(corpora: readonly ChunkedCorpus[]) {
  const byDoc = new Map<string, NamedNote>();
  const byNote = new Map<string, NamedNote>();
  for (const corpus of corpora) {
    for (const [docId, chunk] of corpus.firstChunk) {
      const note: NamedNote = {
        folderId: corpus.folderId,
        notePath: chunk.notePath,
        noteKey: signals.feedbackNoteKey({ folderId: corpus.folderId, notePath: chunk.notePath }),
        docKey: docKey(corpus.folderId, docId),
        passage: chunk.embeddingText,
      };
      byDoc.set(note.docKey, note);
      byNote.set(note.noteKey, note);
    }
  }
  return { byDoc, byNote };
}

function relevantDocs(task: Task, queryId: string): string[] {
  return [...(task.trainQrels.get(queryId) ?? [])].filter(([, grade]) => grade > 0).map(([id]) => id);
}

async function hardNegatives(
  vector: Float32Array,
  relevant: ReadonlySet<string>,
  task: Task,
  corpus: ChunkedCorpus,
  source: PairSource,
  count: number,
): Promise<string[]> {
  if (count <= 0) return [];
  const hits = await source.index.searchDocs(vector, {
    version: source.version.label,
    task: task.key,
    depth: count + relevant.size,
  });
  return hits
    .filter((hit) => !relevant.has(hit.docId))
    .slice(0, count)
    .map((hit) => corpus.firstChunk.get(hit.docId)?.embeddingText)
    .filter((text): text is string => text !== undefined);
}

/**
 * The app's own self-supervised pairs (heading, title, sentence, crop), cleaned as the app cleans
 * them: all of them, and the sample a run trains on.
 */
function selfSupervisedPairs(
  corpus: ChunkedCorpus,
  settings: PairSettings,
): Pick<TaskPairs, 'selfSupervised' | 'selfSupervisedPool'> {
  const random = new SeededRandom(settings.seed);
  const options = { ...signals.DEFAULT_SELF_SUPERVISED, maxPassageChars: settings.maxPassageChars };
  const all = noteDocuments(corpus).flatMap(({ docId, document }) =>
    signals
      .selfSupervisedPairs(document, random, options)
      .map((pair) => ({ ...pair, note: docKey(corpus.folderId, docId) })),
  );
  const pool = signals.cleanPairs(all);
  return { selfSupervised: random.sample(pool, settings.selfSupervisedPairs), selfSupervisedPool: pool };
}

type NoteDocument = Parameters<typeof signals.selfSupervisedPairs>[0];

/** The corpus's notes as the app reads them for self-supervision: title and every chunk's section. */
function noteDocuments(corpus: ChunkedCorpus): Array<{ docId: string; document: NoteDocument }> {
  const byNote = new Map<string, ChunkedCorpus['chunks']>();
  for (const chunk of corpus.chunks) {
    const chunks = byNote.get(chunk.notePath);
    if (chunks) chunks.push(chunk);
    else byNote.set(chunk.notePath, [chunk]);
  }
  return [...byNote].map(([notePath, chunks]) => ({
    docId: chunks[0]!.docId,
    document: {
      folderId: corpus.folderId,
      notePath,
      title: chunks[0]!.title,
      sections: chunks.map((chunk) => ({ headingPath: chunk.headingPath, text: chunk.text })),
      encoderVersion: '',
    },
  }));
}
