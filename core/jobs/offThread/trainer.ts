import { logAndContinue } from '../../base/index.ts';
import { BundledEncoder, type Encoder } from '../../encoder/index.ts';
import type { EncoderTrainer, TrainedCandidate, TrainReport } from '../../adapt/types.ts';
import { sharedTokenizer } from '../../adapt/train/assets.ts';
import { isTrainableSource } from '../../adapt/train/versionEncoder.ts';
import { versionDirOf } from '../../adapt/train/versionFiles.ts';
import type { JobContext } from '../types.ts';
import type { CandidateInfo, FromRef, TrainSettings } from './calls.ts';
import { sharedOffThreadHost, type OffThreadHost } from './host.ts';
import { packVectors, type Question } from './protocol.ts';
import { RemoteEncoder } from './remoteEncoder.ts';

export interface OffThreadTrainerOptions extends TrainSettings {
  /** Called with the tfjs backend and why, as soon as a run has started one (again after a fallback). */
  onBackend?(name: string, reason: string): void;
  /** The heavy-work thread; the process's shared one by default. */
  host?: OffThreadHost;
}

/**
 * The trainer of the bundled encoder (`createUseLiteTrainer`), run on the heavy-work thread:
 * tfjs, the frozen part on onnxruntime and the teacher's embeddings all run there, and so does the
 * candidate's embedding for the gate and the compensator. Progress, pause and cancel act through
 * the job's context here; checkpoints are written there, so a restarted job resumes as before.
 */
export function createOffThreadTrainer(options: OffThreadTrainerOptions): EncoderTrainer {
  const { onBackend, host = sharedOffThreadHost(), ...settings } = options;
  return {
    async train({ from, pairs, options: trainOptions, checkpointDir }, context) {
      const info = await host.call<CandidateInfo>(
        'train',
        {
          from: fromRef(from, host, settings.cacheDir),
          pairs,
          options: trainOptions,
          checkpointDir,
          settings,
        },
        {
          signal: context.signal,
          onReport: (progress) => context.report(progress),
          answer: (question) => answer(question, from, context, onBackend),
        },
      );
      return new RemoteCandidate(host, info);
    },
  };
}

/** How the worker gets the `from` encoder: its own handle, its files, or by asking this thread. */
function fromRef(from: Encoder, host: OffThreadHost, cacheDir: string): FromRef {
  if (from instanceof RemoteEncoder && from.host === host && from.alive) return { handle: from.handle };
  const dir = versionDirOf(from);
  if (dir) return { source: { kind: 'version', dir, version: from.version } };
  if (from instanceof BundledEncoder && from.version === 'v0')
    return { source: { kind: 'bundled', cacheDir } };
  const { backboneId, version, dimensions, maxTokens } = from;
  return { remote: { backboneId, version, dimensions, maxTokens, trainable: isTrainableSource(from) } };
}

async function answer(
  question: Question,
  from: Encoder,
  context: JobContext,
  onBackend: ((name: string, reason: string) => void) | undefined,
): Promise<unknown> {
  switch (question.kind) {
    case 'checkpoint':
      return context.checkpoint();
    case 'backend':
      return onBackend?.(question.name, question.reason);
    case 'embed': {
      const { side, texts } = question;
      const vectors =
        side === 'queries'
          ? await from.embedQueries(texts, context.signal)
          : await from.embedDocuments(texts, context.signal);
      return packVectors(vectors, from.dimensions);
    }
    case 'trainable':
      return isTrainableSource(from) ? new Map(await from.readTrainableTensors()) : undefined;
  }
}

/** A trained candidate held by the heavy-work thread. */
class RemoteCandidate implements TrainedCandidate {
  readonly report: TrainReport;
  readonly #opened: RemoteEncoder[] = [];
  #closed = false;

  constructor(
    private readonly host: OffThreadHost,
    private readonly info: CandidateInfo,
  ) {
    this.report = info.report;
    host.retain();
  }

  async encoder(version = 'candidate'): Promise<Encoder> {
    const encoder = await RemoteEncoder.open(
      this.host,
      'candidateEncoder',
      { handle: this.info.handle, version },
      await sharedTokenizer(),
    );
    this.#opened.push(encoder);
    return encoder;
  }

  async writeVersionFiles(stagingDir: string): Promise<void> {
    await this.host.call('writeVersionFiles', { handle: this.info.handle, dir: stagingDir });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all(this.#opened.splice(0).map((encoder) => encoder.close()));
    await this.host
      .call('release', { handle: this.info.handle })
      .catch(logAndContinue('Releasing a trainer on the heavy-work thread'));
    this.host.release();
  }
}
