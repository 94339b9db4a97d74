import path from 'node:path';
import { logAndContinue, type DataPaths } from '../base/index.ts';
import type { JobQueue } from '../jobs/index.ts';
import { weightedRankFusion, type FusionStrategy, type NoteEvidence } from '../search/index.ts';
import {
  DEFAULT_FUSION,
  estimateFusion,
  readFusionChoice,
  writeFusionChoice,
  type FusionChoice,
} from './fusionChoice.ts';
import type { JobEncoders } from './jobEncoders.ts';
import type { Replaceable } from './replaceable.ts';
import { BUNDLED_MODEL, type SearchSpace } from './searchSpace.ts';

export const FUSION_JOB_LABEL = 'Choose how hybrid search weighs meaning and words';
/** Fewer notes than this keep the default fusion. */
export const MIN_NOTES_FOR_FUSION = 60;
/** The choice is made again once the note count has changed by this share. */
const NOTES_CHANGE = 0.2;

/** Downloaded sentence-transformer models are strong dense retrievers: equal weights by default. */
const MODEL_DEFAULT = { denseWeight: 1, chunkEvidence: 0 };

/** What a fusion check reads of the app (declared here: the app's parts hold a `FusionChoices`). */
export interface FusionCheckParts {
  paths: DataPaths;
  jobs: JobQueue;
  searchSpace: Replaceable<SearchSpace>;
  jobEncoders: JobEncoders;
}

/**
 * The hybrid fusion search uses: the one chosen from the user's notes for the current search model
 * (kept in `fusion.json` in the data folder), else the model's default. After an import, a reindex
 * or an adaptation it checks whether the choice is due (new model or version, the notes changed by a
 * fifth) and queues a job that chooses again (`estimateFusion`).
 */
export class FusionChoices {
  #choice: FusionChoice | undefined;
  #checking: Promise<void> = Promise.resolve();
  #closed = false;

  private constructor(
    private readonly root: string,
    choice: FusionChoice | undefined,
  ) {
    this.#choice = choice;
  }

  static async open(root: string): Promise<FusionChoices> {
    return new FusionChoices(root, await readFusionChoice(root));
  }

  get value(): FusionChoice | undefined {
    return this.#choice;
  }

  /** Fusion and note evidence for a search with `model`. */
  searchOptions(model: string): { fusion: FusionStrategy; noteEvidence: NoteEvidence } {
    const chosen = this.#choice?.model === model ? this.#choice : undefined;
    const { denseWeight, chunkEvidence } =
      chosen ?? (model === BUNDLED_MODEL ? DEFAULT_FUSION : MODEL_DEFAULT);
    return { fusion: weightedRankFusion({ dense: denseWeight }), noteEvidence: { chunkEvidence } };
  }

  /** Starts a check (after the job that changed the index); `settled` waits for it. None once closed. */
  check(parts: FusionCheckParts): void {
    if (this.#closed) return;
    this.#checking = this.#checking
      .then(() => this.#queueIfDue(parts))
      .catch(logAndContinue('Checking whether the hybrid fusion is due to be chosen again'));
  }

  settled(): Promise<void> {
    return this.#checking;
  }

  /**
   * Stops checking and waits for a check under way, which then queues nothing: the app closes its
   * job queue and index next, and a job queued into a closing queue is refused (and logged as a failure).
   */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#checking;
  }

  async #queueIfDue(parts: FusionCheckParts): Promise<void> {
    if (parts.jobs.list().some((job) => job.label === FUSION_JOB_LABEL && job.state === 'queued')) return;
    const checked = parts.searchSpace.get();
    const { notes } = await checked.index.stats();
    const version = checked.versions.current.version;
    const known = this.#choice;
    const fresh =
      known?.model === checked.model &&
      known.version === version &&
      Math.abs(notes - known.notes) < NOTES_CHANGE * known.notes;
    // Closing may have begun while the index was read.
    if (fresh || notes < MIN_NOTES_FOR_FUSION || this.#closed) return;
    parts.jobs.enqueue({
      kind: 'import',
      label: FUSION_JOB_LABEL,
      run: async (context) => {
        const space = parts.searchSpace.get();
        const encoder = await parts.jobEncoders.get(version);
        const estimate = await estimateFusion(
          space.index,
          encoder,
          { workDir: path.join(parts.paths.root, 'tmp', `fusion-${process.pid}`) },
          context.signal,
        );
        if (!estimate) return;
        const choice = { model: space.model, version, ...estimate, chosenMs: Date.now() };
        await writeFusionChoice(this.root, choice);
        this.#choice = choice;
      },
    });
  }
}
