/** Helpers for driving `main()` in tests: captured output streams and a hand-fired interrupt. */
import { Emitter } from '../base/index.ts';
import type { OutputStream } from './io.ts';

export class CapturedStream implements OutputStream {
  text = '';
  readonly columns = 100;
  constructor(readonly isTTY = false) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

/** An interrupt source the test fires by hand, standing in for SIGINT. */
export class ManualInterrupts {
  readonly #emitter = new Emitter<void>();
  readonly subscribe = (listener: () => void): (() => void) => this.#emitter.on(listener);
  fire(): void {
    this.#emitter.emit();
  }
  get listeners(): number {
    return this.#emitter.size;
  }
}
