import { markdownHtml } from './markdownHtml.ts';
import { MarkdownWorkerClient } from './markdownWorkerClient.ts';

/**
 * Bodies shorter than this render on the page: about 12 ms for 1 KiB, less than the worker's
 * round trip and the loading state's flash would cost. Longer ones (222 ms at 16 KiB, 1.2 s at
 * 200 KiB, measured under Node) render in the worker so the window keeps responding.
 */
export const WORKER_MIN_CHARS = 1_024;

// Vite bundles the worker from this exact `new Worker(new URL(…), …)` form, as a same-origin file
// that `script-src 'self'` (the CSP's fallback for workers) allows, under file:// and http alike.
const worker = new MarkdownWorkerClient(
  () => new Worker(new URL('./markdown.worker.ts', import.meta.url), { type: 'module' }),
);

/**
 * A Markdown body's unsanitised HTML: a string at once for a short body, else a promise from the
 * worker that resolves `undefined` when a newer render superseded it.
 */
export function previewMarkdown(body: string): string | Promise<string | undefined> {
  return body.length < WORKER_MIN_CHARS ? markdownHtml(body) : worker.render(body);
}
