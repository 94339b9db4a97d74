import type { App } from '../../core/app/types.ts';

/** Progress goes to stderr so stdout stays pure JSON. */
export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** Logs job progress from the app's events, at most once per `everyMs` per job; returns an unsubscribe. */
export function followJobs(app: Pick<App, 'events'>, everyMs = 2000): () => void {
  const lastLogged = new Map<string, number>();
  return app.events.on((event) => {
    if (event.type !== 'job') return;
    const { job } = event;
    const now = Date.now();
    const settled = job.state !== 'running' && job.state !== 'queued' && job.state !== 'paused';
    if (!settled && now - (lastLogged.get(job.id) ?? 0) < everyMs) return;
    lastLogged.set(job.id, now);
    const total = job.total === undefined ? '' : `/${job.total}`;
    const error = job.error ? ` (${job.error})` : '';
    log(`${job.label}: ${job.state} ${job.phase ?? ''} ${job.done}${total}${error}`);
  });
}
