/**
 * A small seeded generator (mulberry32) whose whole state is one 32-bit integer, so a training
 * checkpoint can store it and a resumed run draws the same numbers.
 */
export class SeededRandom {
  private value: number;

  constructor(state: number) {
    this.value = state >>> 0;
  }

  /** The state to store; `new SeededRandom(state)` continues from here. */
  get state(): number {
    return this.value;
  }

  /** A float in [0, 1). */
  next(): number {
    this.value = (this.value + 0x6d2b79f5) >>> 0;
    let t = this.value;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A shuffled copy (Fisher-Yates). */
  shuffled<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }
}
