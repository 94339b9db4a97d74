/**
 * A value the running app replaces whole, never field by field. A reader takes `get()` once and
 * works with that one value, so it stays consistent even while another task replaces it (a search
 * in flight keeps the index, versions and encoders it started with while a model switch swaps them).
 */
export class Replaceable<T> {
  #value: T;

  constructor(value: T) {
    this.#value = value;
  }

  get(): T {
    return this.#value;
  }

  /** Makes `next` the value; returns the one it replaces. */
  replace(next: T): T {
    const previous = this.#value;
    this.#value = next;
    return previous;
  }
}
