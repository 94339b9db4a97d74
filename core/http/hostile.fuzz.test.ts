import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ERROR_CODES } from '../base/index.ts';
import { linearAppOptions } from '../adapt/testing/index.ts';
import { openApp, type App } from '../app/index.ts';
import { unreachableBaseUrl } from '../models/testing/index.ts';
import { apiArgs, dispatch } from '../service/index.ts';
import { makeTempDir } from '../testing/index.ts';
import { fuzz, hostileText, reportFuzzCounts } from '../testing/faults/fuzz.ts';
import { startHttpServer, type HttpServer } from './index.ts';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let server: HttpServer;
/**
 * The real app on a temporary data folder behind the server: fuzzed calls reach its real code. It
 * opens no note on the desktop and downloads nothing (the model host is a closed port).
 */
let app: App;

beforeAll(async () => {
  temp = await makeTempDir('driftless-http-hostile-');
  await fs.mkdir(path.join(temp.dir, 'dist'));
  await fs.writeFile(path.join(temp.dir, 'dist', 'index.html'), '<!doctype html><title>Driftless</title>');
  await fs.writeFile(path.join(temp.dir, 'secret.txt'), 'SECRET');
  app = await openApp({
    dataDir: path.join(temp.dir, 'data'),
    ...linearAppOptions(),
    opener: { open: async () => false, reveal: async () => false },
    modelBaseUrl: await unreachableBaseUrl(),
  });
  server = await startHttpServer({
    app,
    staticDir: path.join(temp.dir, 'dist'),
    heartbeatMs: 50,
    timeouts: { headersMs: 300, requestMs: 600 },
  });
});
afterAll(async () => {
  reportFuzzCounts();
  await server.close();
  await app.close();
  await temp.remove();
});
afterEach(() => vi.restoreAllMocks());

interface Raw {
  status: number;
  text: string;
  closed: boolean;
}

/** Sends raw bytes (any header, any path) and collects the reply until the server closes or `waitMs` passes. */
function raw(request: string | Buffer, waitMs = 2_000): Promise<Raw> {
  return new Promise((resolve) => {
    const socket = net.connect(server.port, '127.0.0.1');
    let text = '';
    const done = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1] ?? 0), text, closed });
    };
    const timer = setTimeout(() => done(false), waitMs);
    socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    socket.on('close', () => done(true));
    socket.on('error', () => undefined);
    socket.write(request);
  });
}

const host = () => `127.0.0.1:${server.port}`;
const authed = (lines: string[]) =>
  [...lines, `Host: ${host()}`, `Authorization: Bearer ${server.token}`, 'Connection: close', '', ''].join(
    '\r\n',
  );

describe('slow and oversized clients', () => {
  it('cuts off a client that never finishes its headers (slowloris)', async () => {
    const reply = await raw(`GET / HTTP/1.1\r\nHost: ${host()}\r\nX-Slow: 1\r\n`, 5_000);
    expect(reply.closed).toBe(true);
  });

  it('cuts off a client that trickles its body', async () => {
    const socket = net.connect(server.port, '127.0.0.1');
    const closed = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 5_000);
      socket.on('close', () => (clearTimeout(timer), resolve(true)));
    });
    socket.on('error', () => undefined);
    socket.write(
      authed([
        'POST /api/status HTTP/1.1',
        'Content-Type: application/json',
        'Content-Length: 100000',
      ]).trimEnd() + '\r\n\r\n{',
    );
    const drip = setInterval(() => socket.write(' '), 100);
    expect(await closed).toBe(true);
    clearInterval(drip);
  });

  it('refuses an oversized chunked body that declares no length', async () => {
    const chunk = 'x'.repeat(64 * 1024);
    const chunks = Array.from({ length: 20 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`).join('');
    const reply = await raw(
      authed(['POST /api/search HTTP/1.1', 'Content-Type: application/json', 'Transfer-Encoding: chunked']) +
        chunks +
        '0\r\n\r\n',
    );
    expect(reply.status).toBe(413);
  });

  it('refuses oversized headers', async () => {
    const reply = await raw(authed(['GET / HTTP/1.1', `X-Big: ${'a'.repeat(64 * 1024)}`]));
    expect(reply.status).toBe(431);
  });
});

describe('hosts and origins that must be refused', () => {
  it.each([
    'localhost.evil.example:PORT',
    '127.0.0.1.nip.io:PORT',
    '127.0.0.1',
    '[::1]:PORT',
    '0.0.0.0:PORT',
    '127.0.0.2:PORT',
    'LOCALHOST:PORT',
    '127.0.0.1:PORT@evil.example',
  ])('Host %s', async (value) => {
    const reply = await raw(
      [
        `GET / HTTP/1.1`,
        `Host: ${value.replace('PORT', String(server.port))}`,
        `Authorization: Bearer ${server.token}`,
        'Connection: close',
        '',
        '',
      ].join('\r\n'),
    );
    expect(reply.status).toBe(403);
  });

  it.each([
    'null',
    `http://${'127.0.0.1'}`,
    'http://localhost.evil.example',
    `https://HOST`,
    `http://HOST.evil.example`,
  ])('Origin %s', async (origin) => {
    const reply = await raw(
      authed([
        'POST /api/status HTTP/1.1',
        'Content-Type: application/json',
        'Content-Length: 2',
        `Origin: ${origin.replace('HOST', host())}`,
      ]) + '{}',
    );
    expect(reply.status).toBe(403);
  });
});

describe('the token', () => {
  it('is never written to the console or the process output, and never echoed', async () => {
    const written: string[] = [];
    const capture = (...args: unknown[]) => void written.push(args.map(String).join(' '));
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const)
      vi.spyOn(console, method).mockImplementation(capture);
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (capture(chunk), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (capture(chunk), true));
    const replies = await Promise.all([
      raw(`GET /?token=${server.token} HTTP/1.1\r\nHost: ${host()}\r\nConnection: close\r\n\r\n`),
      raw(`GET /?token=${server.token}x HTTP/1.1\r\nHost: ${host()}\r\nConnection: close\r\n\r\n`),
      raw(authed(['POST /api/nope HTTP/1.1', 'Content-Type: application/json', 'Content-Length: 1']) + '{'),
      raw(
        authed(['POST /api/removeFolder HTTP/1.1', 'Content-Type: application/json', 'Content-Length: 19']) +
          '{"folderId":"none"}',
      ),
      raw(
        `GET /api/status HTTP/1.1\r\nHost: evil:${server.port}\r\nAuthorization: Bearer ${server.token}\r\nConnection: close\r\n\r\n`,
      ),
    ]);
    vi.restoreAllMocks();
    expect(written.join('\n')).not.toContain(server.token);
    for (const reply of replies) expect(reply.text).not.toContain(server.token);
    expect(replies[0]!.text).not.toMatch(/set-cookie/i);
    expect(server.url).not.toContain(server.token);
  });
});

describe('fuzzed requests', () => {
  it('every path, query and method gets a deliberate answer; the server never fails or leaks', async () => {
    const piece = fc.constantFrom(
      '/',
      'api',
      'api/',
      'events',
      'status',
      'search',
      '..',
      '%2e%2e',
      '%2f',
      '%00',
      '%',
      '%E0%A4%A',
      '?',
      '&',
      'token=',
      `token=`,
      '#',
      '\\',
      'index.html',
      '//',
      '__proto__',
      'secret.txt',
      ';',
      '%5c',
    );
    const request = fc.record({
      method: fc.constantFrom('GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT'),
      path: fc.array(piece, { maxLength: 8 }).map((parts) => '/' + parts.join('')),
      auth: fc.constantFrom('bearer', 'cookie', 'none', 'wrong'),
      type: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', ''),
      body: fc.oneof(
        fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
        hostileText(100),
      ),
    });
    const known = new Set([200, 204, 303, 400, 401, 403, 404, 405, 409, 413, 415, 423, 499, 501, 503]);
    await fuzz(
      'http-requests',
      fc.asyncProperty(request, async (r) => {
        const auth = {
          bearer: `Authorization: Bearer ${server.token}`,
          cookie: `Cookie: driftless_token=${server.token}`,
          none: '',
          wrong: 'Authorization: Bearer nope',
        }[r.auth];
        const body = Buffer.from(r.body);
        const lines = [
          `${r.method} ${r.path} HTTP/1.1`,
          `Host: ${host()}`,
          auth,
          r.type && `Content-Type: ${r.type}`,
          `Content-Length: ${body.length}`,
          'Connection: close',
        ];
        const reply = await raw(
          Buffer.concat([Buffer.from(lines.filter(Boolean).join('\r\n') + '\r\n\r\n'), body]),
          1_500,
        );
        if (r.path.includes('events') && reply.status === 200) return; // an event stream stays open
        expect(
          known.has(reply.status) || reply.status === 0, // 0: closed without a reply (CONNECT)
          `${reply.status} for ${r.method} ${r.path}`,
        ).toBe(true);
        expect(reply.text).not.toContain('SECRET');
        expect(Object.prototype).not.toHaveProperty('polluted');
      }),
      300,
    );
    const alive = await raw(
      authed(['POST /api/status HTTP/1.1', 'Content-Type: application/json', 'Content-Length: 2']) + '{}',
    );
    expect(alive.status).toBe(200);
  });

  it('dispatch answers any method name and argument with an envelope, never a throw', async () => {
    const methods = [
      ...Object.keys(apiArgs),
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      '',
      'x'.repeat(500),
    ];
    await fuzz(
      'dispatch',
      fc.asyncProperty(
        fc.oneof(fc.constantFrom(...methods), fc.string()),
        fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.object(), fc.anything({ maxDepth: 2 })),
        async (method, args) => {
          if (method === 'removeFolder' || method === 'updateSettings') return; // keep the shared app usable
          const envelope = await dispatch(app.api, method, args);
          if (!envelope.ok) expect(Object.keys(ERROR_CODES)).toContain(envelope.error.code);
          expect(JSON.parse(JSON.stringify(envelope))).toHaveProperty('ok');
          expect(Object.prototype).not.toHaveProperty('polluted');
        },
      ),
      400,
    );
  });
});
