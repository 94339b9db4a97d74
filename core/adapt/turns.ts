/** Longest stretch of work between two turns of the event loop, in ms. */
const DEFAULT_SLICE_MS = 8;

/**
 * Lets long synchronous work on the app's thread (planning pairs over a whole collection) give the
 * event loop a turn every `sliceMs`, so searches waiting on it run in between. Call `turn()` after
 * each small piece of work: it resolves at once until a slice is used up, then after a macrotask.
 */
export class EventLoopTurns {
  #sliceStarted = performance.now();

  constructor(private readonly sliceMs = DEFAULT_SLICE_MS) {}

  async turn(): Promise<void> {
    if (performance.now() - this.#sliceStarted < this.sliceMs) return;
    await new Promise((resolve) => setImmediate(resolve));
    this.#sliceStarted = performance.now();
  }

  /** `visit` on each item in order, with a turn between items once a slice is used up. */
  async forEach<T>(items: Iterable<T>, visit: (item: T) => void): Promise<void> {
    for (const item of items) {
      visit(item);
      await this.turn();
    }
  }
}
