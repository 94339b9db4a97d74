import fs from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { linearAppOptions } from '../adapt/testing/index.ts';
import { openApp, type App } from '../app/index.ts';
import { createApiClient, createHttpCall } from '../service/index.ts';
import { startHttpServer, type HttpServer } from './index.ts';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let tempDir: string;
let staticDir: string;
let server: HttpServer;
/** The real app on a temporary data folder (real LanceDB, the fixture encoder) behind the server. */
let app: App;

beforeEach(async () => {
  tempDir = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-http-'));
  staticDir = path.join(tempDir, 'dist');
  await fs.mkdir(path.join(staticDir, 'assets'), { recursive: true });
  await fs.writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>Driftless</title>');
  await fs.writeFile(path.join(staticDir, 'assets', 'app.js'), 'console.log(1);');
  await fs.writeFile(path.join(tempDir, 'secret.txt'), 'outside the static folder');
  await fs.mkdir(path.join(tempDir, 'notes'));
  await fs.writeFile(path.join(tempDir, 'notes', 'garden.md'), '# Garden\n\nPlant tomatoes in May.\n');
  app = await openApp({ dataDir: path.join(tempDir, 'data'), ...linearAppOptions() });
  server = await startHttpServer({ app, staticDir, heartbeatMs: 20 });
});

afterEach(async () => {
  await server.close();
  await app.close();
  await fs.rm(tempDir, { recursive: true, force: true });
});

function request(options: {
  method?: string;
  path: string;
  headers?: http.OutgoingHttpHeaders;
  body?: string | Buffer;
}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: { host: `127.0.0.1:${server.port}`, ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const bearer = () => ({ authorization: `Bearer ${server.token}` });
const json = () => ({ ...bearer(), 'content-type': 'application/json' });

describe('authentication', () => {
  it('generates a 32-byte base64url token per run', () => {
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('rejects API calls with no token or a wrong token', async () => {
    const none = await request({
      method: 'POST',
      path: '/api/status',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    const wrong = await request({
      method: 'POST',
      path: '/api/status',
      headers: { 'content-type': 'application/json', authorization: 'Bearer nope' },
      body: '{}',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body).not.toContain(server.token);
  });

  it('never sets or accepts a cookie: browsers would send it to every port on 127.0.0.1', async () => {
    for (const path of ['/', `/?token=${server.token}`, '/index.html']) {
      const page = await request({ path });
      expect(page.status).toBe(200);
      expect(page.headers['set-cookie']).toBeUndefined();
    }
    const withCookie = await request({
      method: 'POST',
      path: '/api/status',
      headers: { cookie: `driftless_token=${server.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(withCookie.status).toBe(401);
  });

  it('serves the page without the token, but no API call or event stream', async () => {
    const page = await request({ path: '/' });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Driftless</title>');
    expect((await request({ path: '/api/events' })).status).toBe(401);
    expect((await request({ path: '/api/events?token=wrong' })).status).toBe(401);
    // The query parameter is for the event stream only (EventSource cannot send headers).
    const queried = await request({
      method: 'POST',
      path: `/api/status?token=${server.token}`,
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(queried.status).toBe(401);
  });

  it('opens the event stream with the token in its query', async () => {
    const reply = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.get(
        {
          host: '127.0.0.1',
          port: server.port,
          path: `/api/events?token=${server.token}`,
          headers: { host: `127.0.0.1:${server.port}` },
        },
        resolve,
      );
      req.on('error', reject);
    });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-type']).toContain('text/event-stream');
    reply.destroy();
  });

  it('names the signed-in URL with the token in the fragment only', () => {
    expect(server.signedInUrl).toBe(`http://127.0.0.1:${server.port}/#token=${server.token}`);
    expect(server.url).not.toContain(server.token);
  });
});

describe('origin checks', () => {
  it('rejects a foreign Host header (DNS rebinding) and a foreign Origin', async () => {
    const rebound = await request({
      path: '/',
      headers: { ...bearer(), host: `evil.example:${server.port}` },
    });
    expect(rebound.status).toBe(403);
    const otherPort = await request({
      path: '/',
      headers: { ...bearer(), host: `127.0.0.1:${server.port + 1}` },
    });
    expect(otherPort.status).toBe(403);
    const crossSite = await request({
      method: 'POST',
      path: '/api/status',
      headers: { ...json(), origin: 'https://evil.example' },
      body: '{}',
    });
    expect(crossSite.status).toBe(403);
  });

  it('accepts localhost and a matching Origin', async () => {
    const host = `localhost:${server.port}`;
    const reply = await request({
      method: 'POST',
      path: '/api/status',
      headers: { ...json(), host, origin: `http://${host}` },
      body: '{}',
    });
    expect(reply.status).toBe(200);
  });
});

describe('API calls', () => {
  it('runs a call through dispatch and returns the envelope', async () => {
    const reply = await request({
      method: 'POST',
      path: '/api/addFolder',
      headers: json(),
      body: JSON.stringify({ path: path.join(tempDir, 'notes') }),
    });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: true, value: { root: path.join(tempDir, 'notes') } });
    expect(reply.headers['content-security-policy']).toContain("default-src 'self'");
    expect(reply.headers['content-security-policy']).toContain("form-action 'none'");
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.headers['referrer-policy']).toBe('no-referrer');
  });

  it('answers invalid arguments with 400 and the error envelope', async () => {
    const reply = await request({
      method: 'POST',
      path: '/api/search',
      headers: json(),
      body: JSON.stringify({ query: 'x', limit: -1 }),
    });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    const malformed = await request({
      method: 'POST',
      path: '/api/search',
      headers: json(),
      body: '{"query":',
    });
    expect(malformed.status).toBe(400);
    const unknown = await request({ method: 'POST', path: '/api/dropTables', headers: json(), body: '{}' });
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  });

  it('maps error codes to HTTP status', async () => {
    const reply = await request({
      method: 'POST',
      path: '/api/removeFolder',
      headers: json(),
      body: JSON.stringify({ folderId: 'missing' }),
    });
    expect(reply.status).toBe(404);
  });

  it('refuses bodies over 1 MB with 413 and other content types with 415', async () => {
    const big = JSON.stringify({ query: 'x'.repeat(1024 * 1024 + 10) });
    const tooLarge = await request({ method: 'POST', path: '/api/search', headers: json(), body: big });
    expect(tooLarge.status).toBe(413);
    const form = await request({
      method: 'POST',
      path: '/api/status',
      headers: { ...bearer(), 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(form.status).toBe(415);
    const get = await request({ path: '/api/status', headers: bearer() });
    expect(get.status).toBe(405);
  });

  it('works end to end with the HTTP client', async () => {
    const client = createApiClient(
      createHttpCall({ baseUrl: `http://127.0.0.1:${server.port}`, token: server.token }),
    );
    await client.addFolder({ path: path.join(tempDir, 'notes') });
    await app.idle();
    const result = await client.search({ query: 'tomatoes' });
    expect(result.hits.map((hit) => hit.notePath)).toEqual(['garden.md']);
    await expect(client.getImportReport({ folderId: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('static files', () => {
  it('serves files with their content type', async () => {
    const script = await request({ path: '/assets/app.js', headers: bearer() });
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await request({ path: '/index.html', headers: bearer() })).headers['content-type']).toContain(
      'text/html',
    );
  });

  it('never lists directories', async () => {
    expect((await request({ path: '/assets/', headers: bearer() })).status).toBe(404);
    expect((await request({ path: '/assets', headers: bearer() })).status).toBe(404);
  });

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/%2e%2e%2fsecret.txt',
    '/assets/..%5c..%5csecret.txt',
    `/${encodeURIComponent(path.join(os.tmpdir(), 'x'))}`,
    '//etc/passwd',
    '/%00index.html',
    '/%E0%A4%A',
  ])('does not escape the static folder for %s', async (attempt) => {
    const reply = await request({ path: attempt, headers: bearer() });
    expect(reply.status).toBe(404);
    expect(reply.body).not.toContain('outside the static folder');
  });

  it('does not follow a symbolic link out of the static folder', async () => {
    await fs.symlink(path.join(tempDir, 'secret.txt'), path.join(staticDir, 'link.txt'));
    const reply = await request({ path: '/link.txt', headers: bearer() });
    expect(reply.status).toBe(404);
  });
});

describe('event stream', () => {
  it('delivers App events and heartbeats, and unsubscribes on disconnect', async () => {
    const ownListeners = app.events.size; // the app's own, e.g. the fusion refresh after imports
    const received = await new Promise<string>((resolve, reject) => {
      const req = http.get(
        {
          host: '127.0.0.1',
          port: server.port,
          path: '/api/events',
          headers: { host: `127.0.0.1:${server.port}`, ...bearer() },
        },
        (res) => {
          expect(res.headers['content-type']).toContain('text/event-stream');
          let text = '';
          res.on('data', (chunk: Buffer) => {
            text += chunk.toString('utf8');
            if (text.includes('retry:') && !text.includes('data:'))
              app.events.emit({ type: 'folders-changed' });
            if (text.includes('data:') && text.includes(': heartbeat')) {
              req.destroy();
              resolve(text);
            }
          });
        },
      );
      req.on('error', reject);
    });
    expect(received).toContain(`data: ${JSON.stringify({ type: 'folders-changed' })}\n\n`);
    await expect.poll(() => app.events.size).toBe(ownListeners);
  });

  it('ends open streams on close', async () => {
    const ownListeners = app.events.size;
    const ended = new Promise<void>((resolve) => {
      http.get(
        {
          host: '127.0.0.1',
          port: server.port,
          path: '/api/events',
          headers: { host: `127.0.0.1:${server.port}`, ...bearer() },
        },
        (res) => {
          res.on('data', () => undefined);
          res.on('close', () => resolve());
          void server.close();
        },
      );
    });
    await ended;
    expect(app.events.size).toBe(ownListeners);
  });
});

describe('binding', () => {
  it('listens on 127.0.0.1 only', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    const others = Object.values(os.networkInterfaces())
      .flat()
      .filter((address) => address && !address.internal)
      .map((address) => address!.address);
    for (const address of ['::1', ...others]) {
      const connected = await new Promise<boolean>((resolve) => {
        const socket = net.connect(
          { host: address, port: server.port },
          () => (socket.destroy(), resolve(true)),
        );
        socket.on('error', () => resolve(false));
      });
      expect(connected, address).toBe(false);
    }
  });
});
