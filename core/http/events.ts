import type { ServerResponse } from 'node:http';
import type { Emitter } from '../base/index.ts';
import type { ApiEvent } from '../service/index.ts';

/**
 * Streams the App's events to one client as server-sent events (unnamed, so `EventSource.onmessage`
 * gets them; the JSON carries `type`), with heartbeat comments so proxies
 * and the browser keep the connection open. Returns a function that ends the stream; it also ends,
 * and unsubscribes, when the client disconnects.
 */
export function streamEvents(
  res: ServerResponse,
  events: Emitter<ApiEvent>,
  heartbeatMs: number,
): () => void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
  });
  res.write('retry: 2000\n\n');
  const unsubscribe = events.on((event) => res.write(`data: ${JSON.stringify(event)}\n\n`));
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    unsubscribe();
    res.end();
  };
  res.on('close', end);
  return end;
}
