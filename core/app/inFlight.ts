/** Counts calls in progress, so a resource they use can be closed once the last one returns. */
export class InFlight {
  #count = 0;
  #waiters: Array<() => void> = [];

  async run<T>(call: () => Promise<T>): Promise<T> {
    this.#count++;
    try {
      return await call();
    } finally {
      if (--this.#count === 0) for (const wake of this.#waiters.splice(0)) wake();
    }
  }

  /** Resolves when no call is in progress. */
  drained(): Promise<void> {
    return this.#count === 0 ? Promise.resolve() : new Promise((resolve) => this.#waiters.push(resolve));
  }
}
