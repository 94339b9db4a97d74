import { Worker, type ResourceLimits } from 'node:worker_threads';
import { DriftlessError, type Progress } from '../../base/index.ts';
import { fromWire, toWire, type FromWorker, type Question, type ToWorker } from './protocol.ts';

/** What a call does with the worker's questions and progress while it runs. */
export interface CallHooks {
  signal?: AbortSignal;
  onReport?(progress: Progress): void;
  /** Answers a question of the running call; the default answers checkpoints at once and nothing else. */
  answer?(question: Question): Promise<unknown>;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
  hooks: CallHooks;
  stopListening(): void;
}

/** How long a worker with nothing to do and nothing held is kept before it is stopped. */
const IDLE_MS = 20_000;

export interface OffThreadHostOptions {
  /** What the thread is called in errors ("the heavy-work thread"). */
  name?: string;
  /** The worker's heap limits: past them it dies alone (ERR_WORKER_OUT_OF_MEMORY), not the app. */
  resourceLimits?: ResourceLimits;
}

/**
 * The app thread's side of the heavy-work thread: starts it on first use, sends calls, relays
 * progress, pause and cancel, and restarts it on the next call after it died. A worker that died
 * fails every call in flight with INTERNAL, details `{ threadStopped: true }`; objects it held
 * (`generation`) are gone with it. The worker keeps the process alive only while a call is in flight.
 */
export class OffThreadHost {
  readonly #name: string;
  readonly #resourceLimits: ResourceLimits | undefined;
  #worker: Worker | undefined;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #held = 0;
  #idle: NodeJS.Timeout | undefined;
  #generation = 0;
  #closed = false;

  constructor(options: OffThreadHostOptions = {}) {
    this.#name = options.name ?? 'the heavy-work thread';
    this.#resourceLimits = options.resourceLimits;
  }

  /** Counts worker starts; objects held by an earlier worker are gone. */
  get generation(): number {
    return this.#generation;
  }

  /** Sends a call; resolves with its value, rejects with the worker's error (CANCELLED after abort). */
  call<T>(method: string, args: unknown, hooks: CallHooks = {}, transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.#closed)
      return Promise.reject(new DriftlessError('CONFLICT', `${capitalized(this.#name)} was closed.`));
    if (hooks.signal?.aborted)
      return Promise.reject(new DriftlessError('CANCELLED', 'The job was cancelled.'));
    const worker = this.#start();
    const id = this.#nextId++;
    const onAbort = () => this.#send({ type: 'abort', id });
    hooks.signal?.addEventListener('abort', onAbort, { once: true });
    const result = new Promise<T>((resolve, reject) => {
      this.#pending.set(id, {
        resolve: resolve as (value: unknown) => void,
        reject,
        hooks,
        stopListening: () => hooks.signal?.removeEventListener('abort', onAbort),
      });
    });
    this.#busy();
    worker.postMessage({ type: 'call', id, method, args } satisfies ToWorker, transfer);
    return result;
  }

  /** Marks an object as held in the worker (it stays up); `release` undoes it. */
  retain(): void {
    this.#held++;
    this.#busy();
  }

  release(): void {
    this.#held = Math.max(0, this.#held - 1);
    this.#maybeIdle();
  }

  /**
   * Stops the running worker as a crash would (calls in flight fail with INTERNAL, held objects are
   * gone); the next call starts a fresh one.
   */
  async restart(): Promise<void> {
    const worker = this.#worker;
    if (!worker) return;
    this.#died(worker, new Error('restarted'));
    await worker.terminate();
  }

  /** Stops the worker; calls in flight fail. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#idle);
    const worker = this.#worker;
    this.#worker = undefined;
    if (worker) await worker.terminate();
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const { file, workerData } = workerEntry();
    const worker = new Worker(file, {
      workerData,
      stdout: false,
      stderr: false,
      ...(this.#resourceLimits ? { resourceLimits: this.#resourceLimits } : {}),
    });
    this.#generation++;
    this.#held = 0;
    worker.on('message', (message: FromWorker) => this.#receive(message));
    worker.on('error', (error) => this.#died(worker, error));
    worker.on('exit', (code) => this.#died(worker, new Error(`exit code ${code}`)));
    this.#worker = worker;
    return worker;
  }

  #receive(message: FromWorker): void {
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    if (message.type === 'report') pending.hooks.onReport?.(message.progress);
    else if (message.type === 'ask') void this.#reply(message.id, message.seq, pending, message.question);
    else {
      this.#pending.delete(message.id);
      pending.stopListening();
      if (message.type === 'done') pending.resolve(message.value);
      else pending.reject(fromWire(message.error));
      this.#maybeIdle();
    }
  }

  async #reply(id: number, seq: number, pending: Pending, question: Question): Promise<void> {
    try {
      const value = await (pending.hooks.answer ?? defaultAnswer)(question);
      this.#send({ type: 'reply', id, seq, value });
    } catch (error) {
      this.#send({ type: 'reply', id, seq, error: toWire(error) });
    }
  }

  #died(worker: Worker, error: Error): void {
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    clearTimeout(this.#idle);
    // Callers tell a thread that died (retry, or skip what it was doing) from a call that failed.
    const failure = new DriftlessError(
      'INTERNAL',
      `${capitalized(this.#name)} stopped: ${error.message}`,
      { threadStopped: true },
      { cause: error },
    );
    for (const [id, pending] of this.#pending) {
      this.#pending.delete(id);
      pending.stopListening();
      pending.reject(failure);
    }
  }

  #send(message: ToWorker): void {
    this.#worker?.postMessage(message);
  }

  /** A call in flight or an object held: keep the worker, and the process while calls run. */
  #busy(): void {
    clearTimeout(this.#idle);
    this.#idle = undefined;
    if (this.#pending.size > 0) this.#worker?.ref();
  }

  #maybeIdle(): void {
    if (this.#pending.size === 0) this.#worker?.unref();
    if (this.#pending.size > 0 || this.#held > 0 || !this.#worker) return;
    clearTimeout(this.#idle);
    const worker = this.#worker;
    this.#idle = setTimeout(() => {
      if (this.#worker !== worker || this.#pending.size > 0 || this.#held > 0) return;
      this.#worker = undefined;
      void worker.terminate();
    }, IDLE_MS);
    this.#idle.unref();
  }
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

async function defaultAnswer(question: Question): Promise<unknown> {
  if (question.kind === 'checkpoint' || question.kind === 'backend') return null;
  throw new DriftlessError('INTERNAL', `Nothing on the app thread answers ${question.kind}.`);
}

/**
 * The worker's entry file. From the sources (tsx, vitest) a small .mjs registers tsx and imports
 * worker.ts; in the Electron bundle (scripts/buildElectron.mjs) the worker is heavyWork.js beside
 * the bundle that runs this code.
 */
export function workerEntry(): { file: URL; workerData: { entry?: string } } {
  const here = import.meta.url;
  if (/\.[cm]?ts$/.test(new URL(here).pathname))
    return {
      file: new URL('./bootstrap.mjs', here),
      workerData: { entry: new URL('./worker.ts', here).href },
    };
  return { file: new URL('./heavyWork.js', here), workerData: {} };
}

let shared: OffThreadHost | undefined;

/** The process's heavy-work thread (started on first use, stopped when idle). */
export function sharedOffThreadHost(): OffThreadHost {
  shared ??= new OffThreadHost();
  return shared;
}
