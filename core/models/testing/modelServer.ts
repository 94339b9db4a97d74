import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the server does with the next request for one path (used once, then normal service resumes). */
export type Fault =
  /** Sends this many bytes of the body, then closes the socket. */
  | { kind: 'cut'; afterBytes: number }
  /** Sends this many bytes, then stalls until the client goes away. */
  | { kind: 'stall'; afterBytes: number }
  /** Answers the next `times` requests (default 1) with this HTTP status and no body. */
  | { kind: 'status'; status: number; times?: number; headers?: Record<string, string> };

export interface ModelServer {
  baseUrl: string;
  /** Every request seen: URL path and Range header. */
  requests: { path: string; range: string | undefined }[];
  /** Replaces what a URL path serves (e.g. wrong bytes). */
  files: Map<string, Uint8Array>;
  faults: Map<string, Fault>;
  close(): Promise<void>;
}

function parseRange(header: string | undefined, size: number): number | 'unsatisfiable' {
  const match = header ? /^bytes=(\d+)-$/.exec(header) : null;
  if (!match) return 0;
  const start = Number(match[1]);
  return start >= size ? 'unsatisfiable' : start;
}

function respond(server: ModelServer, req: http.IncomingMessage, res: http.ServerResponse): void {
  const urlPath = new URL(req.url ?? '/', 'http://localhost').pathname;
  server.requests.push({ path: urlPath, range: req.headers.range });
  const bytes = server.files.get(urlPath);
  if (!bytes) return void res.writeHead(404).end('not found');
  const fault = server.faults.get(urlPath);
  if (fault?.kind === 'status') {
    const times = (fault.times ?? 1) - 1;
    if (times > 0) server.faults.set(urlPath, { ...fault, times });
    else server.faults.delete(urlPath);
    return void res.writeHead(fault.status, fault.headers).end();
  }
  const start = parseRange(req.headers.range, bytes.length);
  if (start === 'unsatisfiable')
    return void res.writeHead(416, { 'content-range': `bytes */${bytes.length}` }).end();
  const body = bytes.subarray(start);
  const headers = { 'content-length': String(body.length), 'accept-ranges': 'bytes' };
  if (start > 0)
    res.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${bytes.length - 1}/${bytes.length}` });
  else res.writeHead(200, headers);
  if (!fault) return void res.end(body);
  server.faults.delete(urlPath);
  res.write(body.subarray(0, fault.afterBytes), () => {
    // end() flushes what was written before closing, like a connection that drops mid-file.
    if (fault.kind === 'cut') res.socket?.end();
  });
}

/**
 * A local HTTP file server with Range support and injectable faults, standing in for a model hub.
 * Files are keyed by URL path, e.g. `/owner/name/resolve/<revision>/onnx/model.onnx`.
 */
export async function startModelServer(files: Map<string, Uint8Array>): Promise<ModelServer> {
  const state = { requests: [], files, faults: new Map<string, Fault>() } as unknown as ModelServer;
  const server = http.createServer((req, res) => respond(state, req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  };
  return state;
}

/** A base URL on 127.0.0.1 where nothing listens, for offline tests. */
export async function unreachableBaseUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}
