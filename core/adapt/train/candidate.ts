import { buildUseLiteOnnx } from '../../encoder/index.ts';
import type { Encoder, FrozenWeights, TrainableWeights } from '../../encoder/index.ts';
import type { TrainedCandidate, TrainReport } from '../types.ts';
import type { TrainPhase } from './phaseClock.ts';
import { sharedTokenizer } from './assets.ts';
import { flattenTrainable } from './trainableTensors.ts';
import { openVersionEncoder } from './versionEncoder.ts';
import { writeUseLiteVersion } from './versionFiles.ts';

/** TrainReport plus what this trainer knows besides. */
export interface UseLiteTrainReport extends TrainReport {
  /** The step a checkpoint let this call start from (0 when it started fresh). */
  readonly resumedFromStep: number;
  /** Every phase of TRAIN_PHASES (phaseClock.ts), mean ms per step of this call. */
  readonly phaseMs: Readonly<Record<TrainPhase, number>>;
}

/** A retrained USE-lite: the shared frozen part plus new trainable weights, held in memory until written. */
export class UseLiteCandidate implements TrainedCandidate {
  private model: Uint8Array | undefined;
  private readonly opened: Encoder[] = [];

  constructor(
    readonly report: UseLiteTrainReport,
    private readonly frozen: FrozenWeights,
    readonly trainable: TrainableWeights,
  ) {}

  /** The candidate as an encoder labelled `version` ('candidate' until published). */
  async encoder(version = 'candidate'): Promise<Encoder> {
    const encoder = await openVersionEncoder({
      model: this.modelBytes(),
      tokenizer: await sharedTokenizer(),
      version,
      trainable: () => Promise.resolve(this.trainableTensors()),
    });
    this.opened.push(encoder);
    return encoder;
  }

  /** Writes model.onnx, trainable.bin and trainable.json into `stagingDir`. */
  async writeVersionFiles(stagingDir: string): Promise<void> {
    await writeUseLiteVersion(stagingDir, this.frozen, this.trainable, this.modelBytes());
  }

  async close(): Promise<void> {
    await Promise.all(this.opened.splice(0).map((encoder) => encoder.close()));
    this.model = undefined;
  }

  private modelBytes(): Uint8Array {
    this.model ??= buildUseLiteOnnx(this.frozen, this.trainable);
    return this.model;
  }

  private trainableTensors(): Map<string, Float32Array> {
    return new Map(flattenTrainable(this.trainable).map(({ name, tensor }) => [name, tensor.data]));
  }
}
