import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DriftlessError, ERROR_CODES, type Emitter } from '../base/index.ts';
import { dispatch, type ApiEvent, type DriftlessApi, type Envelope } from '../service/index.ts';
import { createToken, presentedToken, tokensMatch } from './auth.ts';
import { streamEvents } from './events.ts';
import { isTrustedOrigin, setSecurityHeaders } from './headers.ts';
import { readJsonBody } from './body.ts';
import { resolveStaticFile, sendStaticFile } from './staticFiles.ts';

export interface HttpServerOptions {
  /** The opened app (or anything with its API and event stream). */
  app: { readonly api: DriftlessApi; readonly events: Emitter<ApiEvent> };
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** The built renderer, served as static files. */
  staticDir: string;
  /** The per-run secret; a fresh random one when omitted. */
  token?: string;
  /** Interval of SSE heartbeat comments (default 15 s). */
  heartbeatMs?: number;
  /** Limits that cut off slow or stalled clients (defaults: headers 10 s, whole request 30 s). */
  timeouts?: { headersMs?: number; requestMs?: number };
}

export interface HttpServer {
  /** The page URL without the token. */
  readonly url: string;
  /** The URL that opens the window signed in: the token rides in the fragment, never sent to a server. */
  readonly signedInUrl: string;
  readonly port: number;
  readonly token: string;
  /** Stops listening and ends open connections and event streams; safe to call twice. */
  close(): Promise<void>;
}

interface Context {
  options: HttpServerOptions;
  token: string;
  port: number;
  closeStreams: Set<() => void>;
}

/**
 * Serves the search window and the API to a browser on this machine only: binds to 127.0.0.1,
 * rejects foreign Host and Origin headers, requires the per-run token on every API call, and
 * validates every call through `dispatch`. The token is never logged.
 *
 * The credential is bound to this server's origin (host and port), never a cookie: the page reads
 * the token from its URL fragment (`/#token=…`, which browsers never send to any server), keeps it
 * in sessionStorage (per origin, so per port), and sends it as `Authorization: Bearer` on API calls
 * and as `?token=` on the event stream. The window's static files need no token: they hold nothing
 * secret, and a page that reaches them without the token can call nothing.
 *
 * @example
 * const server = await startHttpServer({ app, staticDir: 'renderer/dist' });
 * console.log(server.signedInUrl); // http://127.0.0.1:<port>/#token=…
 */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const context: Context = {
    options,
    token: options.token ?? createToken(),
    port: 0,
    closeStreams: new Set(),
  };
  const headersTimeout = options.timeouts?.headersMs ?? 10_000;
  const requestTimeout = options.timeouts?.requestMs ?? 30_000;
  const serverOptions = {
    headersTimeout,
    requestTimeout,
    // Node checks the two timeouts only this often (default 30 s, which would let a stalled client
    // hold its connection for up to 40 s instead of 10).
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, headersTimeout / 4)),
  };
  const server = http.createServer(serverOptions, (req, res) => {
    handle(context, req, res).catch((error: unknown) => sendError(res, DriftlessError.from(error)));
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  context.port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  const url = `http://127.0.0.1:${context.port}/`;
  return {
    url,
    signedInUrl: `${url}#token=${context.token}`,
    port: context.port,
    token: context.token,
    close: () => (closing ??= closeServer(server, context)),
  };
}

async function closeServer(server: http.Server, context: Context): Promise<void> {
  for (const end of context.closeStreams) end();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}

async function handle(context: Context, req: IncomingMessage, res: ServerResponse): Promise<void> {
  setSecurityHeaders(res);
  if (!isTrustedOrigin(req, context.port))
    return sendError(res, new DriftlessError('FORBIDDEN', 'Foreign host or origin.'));
  const [rawPath = '/', ...rest] = (req.url ?? '/').split('?');
  // Not `new URL(req.url, base)`: a path such as `//` reads as a URL without a host and throws.
  const query = new URLSearchParams(rest.join('?'));
  if (!rawPath.startsWith('/api/')) return handleStatic(context, req, res, rawPath);
  if (!tokensMatch(context.token, presentedToken(req, rawPath, query))) {
    return sendError(
      res,
      new DriftlessError(
        'UNAUTHORIZED',
        'Missing or wrong token; open the URL printed by `driftless serve`.',
      ),
    );
  }
  return handleApi(context, req, res, rawPath.slice('/api/'.length));
}

async function handleApi(
  context: Context,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
): Promise<void> {
  if (method === 'events') {
    if (req.method !== 'GET') return methodNotAllowed(res, 'GET');
    const end = streamEvents(res, context.options.app.events, context.options.heartbeatMs ?? 15_000);
    context.closeStreams.add(end);
    res.on('close', () => context.closeStreams.delete(end));
    return;
  }
  if (req.method !== 'POST') return methodNotAllowed(res, 'POST');
  const body = await readJsonBody(req);
  const envelope = body.ok ? await dispatch(context.options.app.api, method, body.value) : body;
  sendEnvelope(res, envelope, body.ok ? undefined : body.status);
}

async function handleStatic(
  context: Context,
  req: IncomingMessage,
  res: ServerResponse,
  rawPath: string,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD');
  const file = await resolveStaticFile(context.options.staticDir, rawPath);
  if (!file) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    return void res.end('Not found\n');
  }
  await sendStaticFile(res, file, req.method === 'HEAD');
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  res.setHeader('Allow', allow);
  sendEnvelope(res, { ok: false, error: { code: 'INVALID_ARGUMENT', message: 'Method not allowed.' } }, 405);
}

function sendError(res: ServerResponse, error: DriftlessError): void {
  sendEnvelope(res, { ok: false, error: error.toJSON() });
}

function sendEnvelope(res: ServerResponse, envelope: Envelope<unknown>, status?: number): void {
  if (res.headersSent) return void res.destroy();
  const code = envelope.ok ? undefined : (envelope.error.code as keyof typeof ERROR_CODES);
  const statusCode = status ?? (code ? (ERROR_CODES[code]?.http ?? 500) : 200);
  const body = JSON.stringify(envelope);
  if (statusCode === 413) res.setHeader('Connection', 'close');
  res.writeHead(statusCode, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}
