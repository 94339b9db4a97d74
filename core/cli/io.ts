import type { Emitter } from '../base/index.ts';
import type { ApiEvent, DriftlessApi } from '../service/index.ts';

/** Where a command writes: stdout for results, stderr for progress, warnings and errors. */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Io {
  stdout: OutputStream;
  stderr: OutputStream;
  /** Subscribes to Ctrl-C and termination requests; returns the unsubscribe function. */
  onInterrupt(listener: () => void): () => void;
}

/** What commands that start jobs need besides the API: the event stream and a way to wait for the work. */
export interface AppSession {
  readonly api: DriftlessApi;
  readonly events: Emitter<ApiEvent>;
  idle(): Promise<void>;
  /** How long write jobs wait for another process's writer lock (--lock-wait); undefined: no bound. */
  readonly lockWaitMs?: number;
}

/** Subscribes to SIGINT and SIGTERM; a second Ctrl-C while the first is handled exits at once. */
export function processInterrupts(listener: () => void): () => void {
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    listener();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

/** Resolves when an interrupt arrives; `dispose` stops listening. */
export function interruption(io: Io): { promise: Promise<void>; dispose(): void; readonly fired: boolean } {
  let fired = false;
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  const dispose = io.onInterrupt(() => {
    fired = true;
    resolve();
  });
  return {
    promise,
    dispose,
    get fired() {
      return fired;
    },
  };
}
