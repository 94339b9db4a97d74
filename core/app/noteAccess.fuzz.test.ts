import fs from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type App } from './index.ts';
import type { DesktopOpener } from './noteAccess.ts';
import { isInside } from '../library/index.ts';
import { startHttpServer, type HttpServer } from '../http/index.ts';
import { FeatureHashingEncoder, makeTempDir } from '../testing/index.ts';
import { fuzz, reportFuzzCounts } from '../testing/faults/fuzz.ts';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let notesRoot: string;
let app: App;
let server: HttpServer;
let folderId: string;
let socket: net.Server;
const opened: string[] = [];

const recordingOpener: DesktopOpener = {
  open: async (file) => (opened.push(file), true),
  reveal: async (file) => (opened.push(file), true),
};

beforeAll(async () => {
  temp = await makeTempDir('driftless-note-access-');
  const notes = path.join(temp.dir, 'notes');
  await fs.mkdir(path.join(notes, 'sub'), { recursive: true });
  await fs.writeFile(path.join(notes, 'sub', 'a.md'), '# A\n\ninside note\n');
  await fs.writeFile(path.join(notes, '..dots.md'), '# Dots\n\na legal name that starts with two dots\n');
  if (path.sep === '/')
    await fs.writeFile(
      path.join(notes, 'back\\slash.md'),
      '# Backslash\n\na backslash is a character here\n',
    );
  await fs.writeFile(path.join(temp.dir, 'secret.txt'), 'SECRET outside every folder');
  await fs.mkdir(path.join(temp.dir, 'notes-evil'));
  await fs.writeFile(path.join(temp.dir, 'notes-evil', 'x.md'), 'SECRET in a sibling folder');
  await fs.symlink(path.join(temp.dir, 'secret.txt'), path.join(notes, 'out.md'));
  await fs.symlink(temp.dir, path.join(notes, 'dirlink'));
  await fs.symlink(path.join(notes, 'sub', 'a.md'), path.join(notes, 'inlink.md'));
  // Files inside the folder that are no notes: what `addFolder /usr/bin` then `openNote id` reached.
  await fs.writeFile(path.join(notes, 'id'), '#!/bin/sh\necho SECRET\n', { mode: 0o755 });
  await fs.writeFile(path.join(notes, 'tool.sh'), '#!/bin/sh\necho SECRET\n', { mode: 0o755 });
  await fs.mkdir(path.join(notes, '.git'));
  await fs.writeFile(path.join(notes, '.git', 'config'), '[core]\n');
  await fs.writeFile(path.join(notes, '.git', 'HEAD.md'), 'ref: refs/heads/main\n');
  await fs.mkdir(path.join(notes, 'folder.md'));
  await fs.symlink(path.join(notes, 'tool.sh'), path.join(notes, 'runs-a-script.md'));
  socket = net.createServer();
  await new Promise<void>((resolve) => socket.listen(path.join(notes, 'socket.md'), resolve));
  app = await openApp({
    dataDir: path.join(temp.dir, 'data'),
    loadEncoder: async () => new FeatureHashingEncoder({ dimensions: 512 }),
    opener: recordingOpener,
  });
  folderId = (await app.api.addFolder({ path: notes })).id;
  notesRoot = (await app.api.listFolders({}))[0]!.root;
  await app.idle();
  server = await startHttpServer({ app, staticDir: path.join(temp.dir, 'no-static') });
});
afterAll(async () => {
  reportFuzzCounts();
  await new Promise((resolve) => socket.close(resolve));
  await server.close();
  await app.close();
  await temp.remove();
});

const ATTACKS = [
  '../secret.txt',
  'sub/../../secret.txt',
  'sub/../a.md',
  './sub/a.md',
  'sub//a.md',
  '',
  '.',
  '..',
  '/etc/passwd',
  'ABSOLUTE_SECRET',
  '%2e%2e/secret.txt',
  '%2e%2e%2fsecret.txt',
  '..%2fsecret.txt',
  '..\\secret.txt',
  'sub\\..\\..\\secret.txt',
  '\uFF0E\uFF0E/secret.txt',
  'out.md',
  'dirlink/secret.txt',
  'dirlink/notes-evil/x.md',
  '../notes-evil/x.md',
  'sub/a.md\0.txt',
  '~/secret.txt',
  'C:\\Windows\\win.ini',
  'file:///etc/passwd',
];
const attack = (notePath: string) =>
  notePath === 'ABSOLUTE_SECRET' ? path.join(temp.dir, 'secret.txt') : notePath;

function post(method: string, body: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: 'POST',
        path: `/api/${method}`,
        headers: {
          host: `127.0.0.1:${server.port}`,
          authorization: `Bearer ${server.token}`,
          'content-type': 'application/json',
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('opening and revealing notes', () => {
  it('serves notes inside the folder, through links that stay inside, and names starting with ..', async () => {
    await expect(app.api.getNote({ folderId, notePath: 'sub/a.md' })).resolves.toMatchObject({
      content: expect.stringContaining('inside note'),
    });
    await expect(app.api.getNote({ folderId, notePath: '..dots.md' })).resolves.toMatchObject({
      content: expect.stringContaining('two dots'),
    });
    opened.length = 0;
    // The answer says which file went to which opener, so a window can say where it went.
    await expect(app.api.openNote({ folderId, notePath: 'inlink.md' })).resolves.toEqual({
      opened: true,
      path: path.join(notesRoot, 'sub', 'a.md'),
      opener: 'the desktop',
    });
    await app.api.revealNote({ folderId, notePath: 'sub/a.md' });
    expect(opened).toEqual([path.join(notesRoot, 'sub', 'a.md'), path.join(notesRoot, 'sub', 'a.md')]);
  });

  it.each(ATTACKS)('refuses %j through the API', async (notePath) => {
    opened.length = 0;
    for (const call of ['getNote', 'openNote', 'revealNote'] as const) {
      const result = app.api[call]({ folderId, notePath: attack(notePath) });
      await expect(result).rejects.toMatchObject({ code: expect.stringMatching(/^(FORBIDDEN|NOT_FOUND)$/) });
    }
    expect(opened).toEqual([]);
  });

  it.each(ATTACKS)('refuses %j over HTTP', async (notePath) => {
    opened.length = 0;
    for (const call of ['getNote', 'openNote', 'revealNote']) {
      const reply = await post(call, { folderId, notePath: attack(notePath) });
      expect([400, 403, 404]).toContain(reply.status);
      expect(reply.body).not.toContain('SECRET');
    }
    expect(opened).toEqual([]);
  });

  it.each([
    'id',
    'tool.sh',
    '.git/config',
    '.git/HEAD.md',
    'sub',
    'folder.md',
    'runs-a-script.md',
    'socket.md',
  ])('never hands %j, inside the folder but no openable note, to the desktop opener', async (notePath) => {
    opened.length = 0;
    for (const call of ['openNote', 'revealNote'] as const) {
      await expect(app.api[call]({ folderId, notePath })).rejects.toMatchObject({
        code: expect.stringMatching(/^(FORBIDDEN|NOT_FOUND)$/),
      });
    }
    expect(opened).toEqual([]);
  });

  it.runIf(path.sep === '/')('previews and opens a note whose name holds a backslash', async () => {
    const notePath = 'back\\slash.md';
    await expect(app.api.getNote({ folderId, notePath })).resolves.toMatchObject({
      content: expect.stringContaining('a backslash is a character here'),
    });
    opened.length = 0;
    await app.api.openNote({ folderId, notePath });
    expect(opened).toEqual([path.join(notesRoot, notePath)]);
  });

  it('opens a note only once the index holds it', async () => {
    await fs.writeFile(path.join(notesRoot, 'late.md'), '# Late\n\nwritten after the import\n');
    opened.length = 0;
    await expect(app.api.openNote({ folderId, notePath: 'late.md' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await app.api.syncFolders({ folderId });
    await app.idle();
    await app.api.openNote({ folderId, notePath: 'late.md' });
    expect(opened).toEqual([path.join(notesRoot, 'late.md')]);
  });

  it('refuses unknown folder ids, also ones that look like paths', async () => {
    for (const id of ['..', '/', notesRoot, path.join(temp.dir, 'notes-evil'), '__proto__', 'constructor']) {
      await expect(app.api.openNote({ folderId: id, notePath: 'sub/a.md' })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    }
  });

  it('never opens a file outside the folder, whatever the path', async () => {
    const segment = fc.constantFrom(
      '..',
      '.',
      '',
      'sub',
      'a.md',
      'out.md',
      'dirlink',
      'notes-evil',
      'x.md',
      'secret.txt',
      '%2e%2e',
      '..\\',
      '\0',
      '~',
      '..dots.md',
      'inlink.md',
    );
    await fuzz(
      'note-paths',
      fc.asyncProperty(
        fc.array(segment, { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        async (segments, absolute) => {
          opened.length = 0;
          const notePath = (absolute ? '/' : '') + segments.join('/');
          await app.api.openNote({ folderId, notePath }).catch(() => undefined);
          for (const file of opened) expect(isInside(await fs.realpath(file), notesRoot)).toBe(true);
        },
      ),
      300,
    );
  });
});
