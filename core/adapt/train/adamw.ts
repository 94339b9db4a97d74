import * as tf from '@tensorflow/tfjs';

export interface AdamWSettings {
  readonly learningRate: number;
  readonly weightDecay: number;
  readonly warmupSteps: number;
  /** Global gradient norm limit; 0 or less disables clipping. */
  readonly clipNorm: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
}

/** The optimiser's moments by variable name, and how many updates were applied. */
export interface AdamWState {
  readonly step: number;
  readonly m: ReadonlyMap<string, Float32Array>;
  readonly v: ReadonlyMap<string, Float32Array>;
}

/**
 * Adam with decoupled weight decay (AdamW), linear learning-rate warm-up and global-norm gradient
 * clipping. Weight decay applies to matrices only, not to biases and layer-norm parameters.
 */
export class AdamW {
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();
  private step: number;

  constructor(
    private readonly variables: ReadonlyMap<string, tf.Variable>,
    private readonly settings: AdamWSettings,
    state?: AdamWState,
  ) {
    this.step = state?.step ?? 0;
    for (const [name, variable] of variables) {
      const moment = (saved: Float32Array | undefined): tf.Variable =>
        tf.tidy(() => tf.variable(saved ? tf.tensor(saved, variable.shape) : tf.zerosLike(variable), false));
      this.m.set(name, moment(state?.m.get(name)));
      this.v.set(name, moment(state?.v.get(name)));
    }
  }

  /**
   * The learning rate of the next update: linear warm-up, then constant. It never depends on the
   * run's total, so a time budget may fix the total after the first steps without changing them.
   */
  get currentLearningRate(): number {
    const warmup = Math.max(1, this.settings.warmupSteps);
    return this.settings.learningRate * Math.min(1, (this.step + 1) / warmup);
  }

  /** Applies one update from `grads` (by variable name). */
  apply(grads: tf.NamedTensorMap): void {
    const { beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, clipNorm, weightDecay } = this.settings;
    const lr = this.currentLearningRate;
    this.step += 1;
    const correction1 = 1 - beta1 ** this.step;
    const correction2 = 1 - beta2 ** this.step;
    tf.tidy(() => {
      const scale = clipScale(Object.values(grads), clipNorm);
      for (const [name, variable] of this.variables) {
        const grad = grads[name];
        const m = this.m.get(name);
        const v = this.v.get(name);
        if (!grad || !m || !v) continue;
        const g = grad.mul(scale);
        m.assign(m.mul(beta1).add(g.mul(1 - beta1)));
        v.assign(v.mul(beta2).add(g.square().mul(1 - beta2)));
        const update = m.div(correction1).div(v.div(correction2).sqrt().add(epsilon));
        const decay = variable.rank >= 2 ? variable.mul(weightDecay) : tf.zerosLike(variable);
        variable.assign(variable.sub(update.add(decay).mul(lr)));
      }
    });
  }

  async state(): Promise<AdamWState> {
    const read = async (moments: Map<string, tf.Variable>): Promise<Map<string, Float32Array>> => {
      const out = new Map<string, Float32Array>();
      for (const [name, moment] of moments) out.set(name, (await moment.data()) as Float32Array);
      return out;
    };
    return { step: this.step, m: await read(this.m), v: await read(this.v) };
  }

  dispose(): void {
    for (const moment of [...this.m.values(), ...this.v.values()]) moment.dispose();
  }
}

/** min(1, clipNorm / globalNorm) as a tensor, so clipping needs no read-back. */
function clipScale(grads: readonly tf.Tensor[], clipNorm: number): tf.Scalar {
  if (clipNorm <= 0 || grads.length === 0) return tf.scalar(1);
  // Summed pairwise, not with tf.addN: the WebGPU backend binds every addN input as one storage
  // buffer, and more inputs than the device's limit (8 by default) make an invalid pipeline.
  const norm = grads
    .map((g) => g.square().sum())
    .reduce((sum, term) => sum.add(term))
    .sqrt();
  return tf.scalar(clipNorm).div(norm.maximum(clipNorm)) as tf.Scalar;
}
