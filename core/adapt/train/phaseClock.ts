import { performance } from 'node:perf_hooks';

/**
 * The parts a training step's time is split into:
 * - `batch`: drawing the pairs and grouping texts into chunks;
 * - `tokenize`: the tokenizer, for texts not yet cached;
 * - `frozenForward`: onnxruntime running the frozen layers, for texts not yet cached;
 * - `forward`: the trainable block embedding every text without a tape (tfjs);
 * - `backward`: the loss gradient, then each chunk again with a tape and its parameter gradient (tfjs);
 * - `optimizer`: the AdamW update and reading the loss back;
 * - `checkpoint`: writing checkpoint.bin (every `checkpointEvery` steps and at the end);
 * - `yield`: the job's checkpoint (pause, cancel, other work on the thread) and progress reports.
 * On WebGPU tfjs ops return before the GPU finishes, so GPU time lands in the phase that reads a
 * result back (`optimizer`); on wasm, cpu and the native backends ops complete where they are called.
 */
export const TRAIN_PHASES = [
  'batch',
  'tokenize',
  'frozenForward',
  'forward',
  'backward',
  'optimizer',
  'checkpoint',
  'yield',
] as const;

export type TrainPhase = (typeof TRAIN_PHASES)[number];

/**
 * Wall time by phase, measured with `performance.now()` around the code itself. Phases nest: an
 * inner phase (a `yield` between chunks of `forward`) pauses the outer one, so no millisecond is
 * counted twice and the phases of a step add up to at most its wall time.
 */
export class PhaseClock {
  private readonly totals = new Map<TrainPhase, number>(TRAIN_PHASES.map((phase) => [phase, 0]));
  private readonly open: Array<{ phase: TrainPhase; since: number }> = [];

  async time<T>(phase: TrainPhase, work: () => Promise<T>): Promise<T> {
    this.enter(phase);
    try {
      return await work();
    } finally {
      this.leave();
    }
  }

  timeSync<T>(phase: TrainPhase, work: () => T): T {
    this.enter(phase);
    try {
      return work();
    } finally {
      this.leave();
    }
  }

  /** Milliseconds per phase so far, every phase present. */
  read(): Record<TrainPhase, number> {
    return Object.fromEntries(this.totals) as Record<TrainPhase, number>;
  }

  private enter(phase: TrainPhase): void {
    const now = performance.now();
    const outer = this.open.at(-1);
    if (outer) this.add(outer.phase, now - outer.since);
    this.open.push({ phase, since: now });
  }

  private leave(): void {
    const now = performance.now();
    const inner = this.open.pop();
    if (inner) this.add(inner.phase, now - inner.since);
    const outer = this.open.at(-1);
    if (outer) outer.since = now;
  }

  private add(phase: TrainPhase, ms: number): void {
    this.totals.set(phase, (this.totals.get(phase) ?? 0) + ms);
  }
}
