import type { MarkdownReply, MarkdownRequest } from './markdownWorkerProtocol.ts';

/** What the client needs of a Worker (a real one in the window, a fake one in unit tests). */
export interface MarkdownWorkerPort {
  postMessage(request: MarkdownRequest): void;
  onmessage: ((event: MessageEvent<MarkdownReply>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  terminate(): void;
}

interface PendingRender {
  id: number;
  resolve: (html: string | undefined) => void;
  reject: (error: Error) => void;
}

/**
 * Renders Markdown in one worker, created on first use and reused. Only the latest request counts:
 * the preview shows one note, so a render asked for earlier resolves `undefined` as soon as a newer
 * one is asked for, and its reply, when it comes, is dropped.
 */
export class MarkdownWorkerClient {
  readonly #createWorker: () => MarkdownWorkerPort;
  #worker: MarkdownWorkerPort | undefined;
  #lastId = 0;
  #latest: PendingRender | undefined;

  constructor(createWorker: () => MarkdownWorkerPort) {
    this.#createWorker = createWorker;
  }

  /** The body's unsanitised HTML; `undefined` when a newer render superseded this one. */
  render(body: string): Promise<string | undefined> {
    this.#latest?.resolve(undefined);
    const id = ++this.#lastId;
    return new Promise((resolve, reject) => {
      this.#latest = { id, resolve, reject };
      try {
        this.#port().postMessage({ id, body });
      } catch (error) {
        this.#fail(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  #port(): MarkdownWorkerPort {
    if (this.#worker) return this.#worker;
    const worker = this.#createWorker();
    worker.onmessage = ({ data }) => this.#settle(data);
    worker.onerror = (event) => {
      // A worker that failed (its script did not load, or it crashed) answers nothing more: the next
      // render starts a fresh one rather than waiting forever.
      worker.terminate();
      if (this.#worker === worker) this.#worker = undefined;
      this.#fail(new Error(event.message || 'The Markdown worker failed.'));
    };
    this.#worker = worker;
    return worker;
  }

  #settle(reply: MarkdownReply): void {
    const latest = this.#latest;
    if (latest?.id !== reply.id) return;
    this.#latest = undefined;
    if ('html' in reply) latest.resolve(reply.html);
    else latest.reject(new Error(reply.error));
  }

  #fail(error: Error): void {
    const latest = this.#latest;
    this.#latest = undefined;
    latest?.reject(error);
  }
}
