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
   * The run's total steps, once known: the last COOLDOWN_SHARE of them decay the learning rate
   * linearly towards zero. Until it is set the rate only warms up, so steps taken before a time
   * budget fixes the total follow the same schedule whatever total it fixes (see `cooldownFactor`).
   */
  totalSteps: number | undefined;

  /** The learning rate of the next update: linear warm-up, constant, then a linear cool-down to the total. */
  get currentLearningRate(): number {
    const warmup = Math.max(1, this.settings.warmupSteps);
    const cooldown = this.totalSteps === undefined ? 1 : cooldownFactor(this.step, this.totalSteps);
    return this.settings.learningRate * Math.min(1, (this.step + 1) / warmup, cooldown);
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

/**
 * Share of a run's steps that cool the learning rate down. Warm-up, constant, then a short linear
 * decay (warmup-stable-decay; Hägele et al. 2024, "Scaling Laws and Compute-Optimal Training
 * Beyond Fixed Training Durations") matches a cosine schedule while leaving the total open until
 * the decay begins, which is what a time budget needs: the total is fixed after the first timed
 * steps, and with a share of 0.2 any total of 3 steps or more begins its decay after them.
 */
export const COOLDOWN_SHARE = 0.2;

/** 1 before the cool-down, then (total - step) / (cool-down steps + 1): the last update still moves. */
export function cooldownFactor(step: number, total: number): number {
  const cooldown = Math.floor(total * COOLDOWN_SHARE);
  return step < total - cooldown ? 1 : Math.max(0, total - step) / (cooldown + 1);
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
