import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256 } from '../base/index.ts';
import { looksBinary, readNoteFile } from './index.ts';
import { readNoteFileWithPause } from './readFile.ts';

let dir: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-read-'));
});

afterEach(async () => {
  await fs.chmod(dir, 0o700).catch(() => {});
  await fs.rm(dir, { recursive: true, force: true });
});

async function write(name: string, data: string | Uint8Array): Promise<string> {
  const file = path.join(dir, name);
  await fs.writeFile(file, data);
  return file;
}

const options = { maxBytes: 1024 };

describe('readNoteFile', () => {
  it('reads UTF-8 text with its byte hash, size and mtime, dropping a BOM', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('# Héllo ✓\n', 'utf8')]);
    const file = await write('ok.md', bytes);
    const result = await readNoteFile(file, options);
    const stats = await fs.stat(file);
    expect(result).toEqual({
      ok: true,
      content: '# Héllo ✓\n',
      hash: sha256(bytes),
      size: bytes.length,
      mtimeMs: stats.mtimeMs,
    });
  });

  it('never changes the file it reads', async () => {
    const file = await write('same.md', 'content');
    const before = await fs.stat(file);
    await readNoteFile(file, options);
    const after = await fs.stat(file);
    expect(after.mtimeMs).toBe(before.mtimeMs);
    expect(await fs.readFile(file, 'utf8')).toBe('content');
  });

  it('skips files over the size limit without reading them', async () => {
    const file = await write('big.md', 'a'.repeat(2048));
    expect(await readNoteFile(file, options)).toMatchObject({ ok: false, skipped: { reason: 'too-large' } });
  });

  it('skips binary files: NUL bytes or many control characters', async () => {
    const withNul = await write('nul.txt', Buffer.from('text\u0000more'));
    expect(await readNoteFile(withNul, options)).toMatchObject({ ok: false, skipped: { reason: 'binary' } });
    const controls = await write(
      'ctl.txt',
      Buffer.from(Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? 0x01 : 0x41))),
    );
    expect(await readNoteFile(controls, options)).toMatchObject({ ok: false, skipped: { reason: 'binary' } });
    expect(looksBinary(Buffer.from('tabs\tand\nnewlines\r\n'))).toBe(false);
  });

  it('skips invalid UTF-8 and UTF-16 text', async () => {
    const latin1 = await write('latin1.txt', Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x6f, 0x6b]));
    expect(await readNoteFile(latin1, options)).toMatchObject({
      ok: false,
      skipped: { reason: 'invalid-utf8' },
    });
    const utf16 = await write(
      'utf16.txt',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('hi', 'utf16le')]),
    );
    expect(await readNoteFile(utf16, options)).toMatchObject({
      ok: false,
      skipped: { reason: 'invalid-utf8' },
    });
  });

  it('skips empty and whitespace-only files', async () => {
    expect(await readNoteFile(await write('empty.md', ''), options)).toMatchObject({
      ok: false,
      skipped: { reason: 'empty' },
    });
    expect(await readNoteFile(await write('blank.md', ' \n\t\n'), options)).toMatchObject({
      ok: false,
      skipped: { reason: 'empty' },
    });
  });

  it('reports a missing file as vanished', async () => {
    expect(await readNoteFile(path.join(dir, 'gone.md'), options)).toMatchObject({
      ok: false,
      skipped: { reason: 'vanished' },
    });
  });

  it('never opens a FIFO (opening one waits for a writer forever): unreadable, with the reason', async () => {
    const fifo = path.join(dir, 'pipe.md');
    execFileSync('mkfifo', [fifo]);
    const results = await Promise.all(Array.from({ length: 8 }, () => readNoteFile(fifo, options)));
    for (const result of results)
      expect(result).toMatchObject({ ok: false, skipped: { reason: 'unreadable', message: /pipe/ } });
  });

  it('reports a folder as unreadable', async () => {
    await fs.mkdir(path.join(dir, 'folder.md'));
    expect(await readNoteFile(path.join(dir, 'folder.md'), options)).toMatchObject({
      ok: false,
      skipped: { reason: 'unreadable' },
    });
  });

  it('reports a file without read permission as unreadable (where permissions apply)', async () => {
    const file = await write('secret.md', 'private');
    await fs.chmod(file, 0o000);
    // Root (and Windows) ignore the mode bits, so ask the OS what it enforces and expect exactly that.
    const enforced = await fs.access(file, fs.constants.R_OK).then(
      () => false,
      () => true,
    );
    const result = await readNoteFile(file, options);
    if (enforced) expect(result).toMatchObject({ ok: false, skipped: { reason: 'unreadable' } });
    else expect(result).toMatchObject({ ok: true, content: 'private' });
  });

  it('reports a file that changes while it is read', async () => {
    const file = await write('moving.md', 'first version');
    const result = await readNoteFileWithPause(file, options, () => fs.appendFile(file, ' and an edit'));
    expect(result).toMatchObject({ ok: false, skipped: { reason: 'changed-during-read' } });
    const replaced = await readNoteFileWithPause(file, options, async () => {
      await write('other.md', 'replacement');
      await fs.rename(path.join(dir, 'other.md'), file);
    });
    expect(replaced).toMatchObject({ ok: false, skipped: { reason: 'changed-during-read' } });
  });

  it('reports a file removed right after it was read as vanished', async () => {
    const file = await write('brief.md', 'here for a moment');
    const result = await readNoteFileWithPause(file, options, () => fs.rm(file));
    expect(result).toMatchObject({ ok: false, skipped: { reason: 'vanished' } });
  });
});
