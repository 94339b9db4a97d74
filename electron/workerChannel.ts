/**
 * The message protocol between the Electron main process and the core's utility process. Both ends
 * work over any port with `postMessage` and a message listener, so the protocol is tested with
 * Node's MessageChannel and runs over Electron's parentPort unchanged.
 */
import { logAndContinue } from '../core/base/index.ts';
import type { ApiEvent, Envelope } from '../core/service/contract.ts';

/** The two operations a port needs; adapters wrap Electron's and Node's ports to this. */
export interface PortLike {
  postMessage(message: unknown): void;
  /** Adds a listener for incoming message payloads; returns a function that removes it. */
  onMessage(listener: (message: unknown) => void): () => void;
}

type ToWorker =
  | { kind: 'call'; id: number; method: string; args: unknown }
  | { kind: 'power'; onBattery: boolean }
  | { kind: 'drain' };
type FromWorker =
  | { kind: 'result'; id: number; envelope: Envelope<unknown> }
  | { kind: 'event'; event: ApiEvent }
  | { kind: 'ready' }
  | { kind: 'failed'; error: { code: string; message: string } }
  | { kind: 'drained' };

/** What the worker serves: one dispatch function and the event stream. */
export interface ServedApi {
  dispatch(method: string, args: unknown): Promise<Envelope<unknown>>;
  onEvent(listener: (event: ApiEvent) => void): () => void;
}

/** What the main process tells the core besides calls: the power source, and that the app quits. */
export interface CoreControl {
  /** Only the main process can read the power source (powerMonitor); the core's scheduler asks it. */
  onPower(onBattery: boolean): void;
  /** Finishes what is being written and closes the index; the core is stopped after it resolves. */
  drain(): Promise<void>;
}

/**
 * Worker side: answers every call message with its envelope and forwards every event. Calls that
 * arrive before `api` resolves wait for it; if it rejects, they get a failure envelope.
 * Returns a function that stops serving.
 */
export function serveOverPort(port: PortLike, api: Promise<ServedApi>, control?: CoreControl): () => void {
  let stopEvents: (() => void) | undefined;
  let draining: Promise<void> | undefined;
  const opened = api.then(
    (served) => {
      stopEvents = served.onEvent((event) => port.postMessage({ kind: 'event', event } satisfies FromWorker));
      port.postMessage({ kind: 'ready' } satisfies FromWorker);
      return served;
    },
    (error: unknown) => {
      const failure = {
        code: codeOf(error),
        message: error instanceof Error ? error.message : String(error),
      };
      port.postMessage({ kind: 'failed', error: failure } satisfies FromWorker);
      return failure;
    },
  );
  const answer = (id: number, envelope: Envelope<unknown>) =>
    port.postMessage({ kind: 'result', id, envelope } satisfies FromWorker);
  const stopCalls = port.onMessage((raw) => {
    const message = toWorker(raw);
    if (message?.kind === 'power') control?.onPower(message.onBattery);
    if (message?.kind === 'drain') {
      // Quitting goes on either way; what did not close cleanly is repaired at the next start.
      draining ??= (control?.drain() ?? Promise.resolve())
        .catch(logAndContinue('Closing the data folder before quitting'))
        .then(() => port.postMessage({ kind: 'drained' } satisfies FromWorker));
    }
    if (message?.kind !== 'call') return;
    // A call after quitting began would reach a closing index: refused, never half done.
    if (draining) return answer(message.id, offline('Driftless is quitting.'));
    void opened.then(async (served) =>
      answer(
        message.id,
        'dispatch' in served
          ? await served.dispatch(message.method, message.args)
          : { ok: false, error: served },
      ),
    );
  });
  return () => {
    stopCalls();
    stopEvents?.();
  };
}

/** Main side: the API as calls over the port, plus the worker's events and readiness. */
export interface WorkerClient {
  call(method: string, args: unknown): Promise<Envelope<unknown>>;
  onEvent(listener: (event: ApiEvent) => void): () => void;
  /** Resolves once the core has opened; rejects with its failure message if it could not. */
  readonly ready: Promise<void>;
  /** Fails every pending and later call (the worker exited). */
  close(reason: string): void;
  /** Tells the core whether the machine runs on battery. */
  setPower(onBattery: boolean): void;
  /** Asks the core to finish its writes and close; resolves once it has, or once it is gone. */
  drain(): Promise<void>;
}

/** Creates the main-process end of the protocol over `port`. */
export function createWorkerClient(port: PortLike): WorkerClient {
  const pending = new Map<number, (envelope: Envelope<unknown>) => void>();
  const listeners = new Set<(event: ApiEvent) => void>();
  let nextId = 1;
  let closedReason: string | undefined;
  let settleReady: { resolve: () => void; reject: (error: Error) => void } | undefined;
  let settleDrained: (() => void) | undefined;
  const drained = new Promise<void>((resolve) => (settleDrained = resolve));
  const ready = new Promise<void>((resolve, reject) => (settleReady = { resolve, reject }));
  ready.catch(() => undefined); // a failed start is told to whoever awaits ready; none may

  port.onMessage((raw) => {
    const message = raw as FromWorker;
    if (message.kind === 'result') {
      pending.get(message.id)?.(message.envelope);
      pending.delete(message.id);
    } else if (message.kind === 'event') {
      for (const listener of [...listeners]) listener(message.event);
    } else if (message.kind === 'ready') {
      settleReady?.resolve();
    } else if (message.kind === 'failed') {
      settleReady?.reject(new Error(message.error.message));
    } else if (message.kind === 'drained') {
      settleDrained?.();
    }
  });

  return {
    ready,
    call(method, args) {
      if (closedReason !== undefined) return Promise.resolve(offline(closedReason));
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        port.postMessage({ kind: 'call', id, method, args } satisfies ToWorker);
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setPower(onBattery) {
      if (closedReason === undefined) port.postMessage({ kind: 'power', onBattery } satisfies ToWorker);
    },
    drain() {
      if (closedReason === undefined) port.postMessage({ kind: 'drain' } satisfies ToWorker);
      else settleDrained?.();
      return drained;
    },
    close(reason) {
      closedReason = reason;
      settleDrained?.();
      settleReady?.reject(new Error(reason));
      for (const resolve of pending.values()) resolve(offline(reason));
      pending.clear();
    },
  };
}

function offline(reason: string): Envelope<unknown> {
  return { ok: false, error: { code: 'OFFLINE', message: reason } };
}

function toWorker(message: unknown): ToWorker | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const m = message as Partial<Record<string, unknown>>;
  if (m.kind === 'call' && typeof m.id === 'number' && typeof m.method === 'string')
    return message as ToWorker;
  if (m.kind === 'power' && typeof m.onBattery === 'boolean') return message as ToWorker;
  if (m.kind === 'drain') return { kind: 'drain' };
  return undefined;
}

function codeOf(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'INTERNAL';
}
