import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DriftlessError } from '../base/index.ts';
import { scanFolder } from './index.ts';
import type { ScanEntry, ScanOptions } from './types.ts';

let base: string;
let root: string;

beforeEach(async () => {
  base = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-scan-'));
  root = path.join(base, 'notes');
  await fs.mkdir(root);
});

afterEach(async () => {
  await fs.rm(base, { recursive: true, force: true });
});

async function put(rel: string, content = `note ${rel}`): Promise<void> {
  const file = path.join(root, rel);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, content);
}

async function scan(options: ScanOptions = {}, signal?: AbortSignal): Promise<ScanEntry[]> {
  const entries: ScanEntry[] = [];
  for await (const entry of scanFolder(root, options, signal)) entries.push(entry);
  return entries;
}

const files = (entries: ScanEntry[]) => entries.flatMap((e) => (e.kind === 'file' ? [e.relPath] : []));
const skips = (entries: ScanEntry[]) =>
  entries.flatMap((e) => (e.kind === 'skipped' ? [[e.path, e.reason]] : []));

describe('scanFolder', () => {
  it('yields supported notes with size and mtime, passing other files over silently', async () => {
    for (const name of ['a.md', 'b.txt', 'c.org', 'd.html', 'e.htm', 'f.markdown']) await put(name);
    await put('photo.jpg');
    await put('doc.pdf');
    const entries = await scan();
    expect(files(entries)).toEqual(['a.md', 'b.txt', 'c.org', 'd.html', 'e.htm', 'f.markdown']);
    expect(skips(entries)).toEqual([]);
    const first = entries[0]!;
    const stats = await fs.stat(path.join(root, 'a.md'));
    expect(first).toEqual({
      kind: 'file',
      relPath: 'a.md',
      absPath: path.join(root, 'a.md'),
      size: stats.size,
      mtimeMs: stats.mtimeMs,
    });
  });

  it('handles spaces, unicode and newlines in names with POSIX relative paths', async () => {
    const names = [
      'sub dir/with space.md',
      'ünï/cödé 日本.md',
      'odd/new\nline.md',
      'odd/[x] #h & (p)*.md',
      'odd/!bang.md',
    ];
    for (const name of names) await put(name);
    const found = files(await scan());
    expect(found.sort()).toEqual([...names].sort());
  });

  it('skips hidden and system folders unless told otherwise', async () => {
    for (const name of [
      'keep.md',
      '.hidden/h.md',
      '.obsidian/o.md',
      '.trash/t.md',
      'node_modules/m.md',
      '.git/g.md',
      '.dotfile.md',
    ]) {
      await put(name);
    }
    expect(files(await scan())).toEqual(['keep.md']);
    const withHidden = files(await scan({ includeHidden: true }));
    expect(withHidden.sort()).toEqual(['.dotfile.md', '.hidden/h.md', 'keep.md']);
    const reincluded = files(await scan({ ignore: ['!node_modules/', 'keep.md'] }));
    expect(reincluded).toEqual(['node_modules/m.md']);
  });

  it('honours nested .gitignore and .driftlessignore files like git', async () => {
    await put('.gitignore', 'ignored.md\nbuild/\n');
    await put('ignored.md');
    await put('top.md');
    await put('build/out.md');
    await put('sub/.gitignore', '*.txt\n!keep.txt\n');
    await put('sub/drop.txt');
    await put('sub/keep.txt');
    await put('sub/ignored.md');
    await put('sub/n.md');
    await put('sub/deeper/.driftlessignore', 'private.md\n');
    await put('sub/deeper/private.md');
    await put('sub/deeper/public.md');
    await put('other/private.md');
    await put('other/drop.txt');
    expect(files(await scan()).sort()).toEqual([
      'other/drop.txt',
      'other/private.md',
      'sub/deeper/public.md',
      'sub/keep.txt',
      'sub/n.md',
      'top.md',
    ]);
  });

  it('lets deeper ignore files override shallower ones, but never the built-in defaults', async () => {
    await put('.gitignore', '*.md\n');
    await put('top.md');
    await put('sub/.driftlessignore', '!keep.md\n!node_modules/\n');
    await put('sub/keep.md');
    await put('sub/other.md');
    await put('sub/node_modules/m.md');
    expect(files(await scan())).toEqual(['sub/keep.md']);
  });

  it('applies caller patterns in gitignore syntax', async () => {
    await put('a.md');
    await put('b.org');
    await put('drafts/c.md');
    expect(files(await scan({ ignore: ['*.org', 'drafts/'] }))).toEqual(['a.md']);
  });

  it('follows links inside the root, reports loops, links outside the root and broken links', async () => {
    await put('real/a.md');
    await fs.mkdir(path.join(base, 'outside'));
    await fs.writeFile(path.join(base, 'outside', 'secret.md'), 'outside');
    await fs.symlink(path.join(root, 'real'), path.join(root, 'real', 'loop'));
    await fs.symlink(path.join(base, 'outside'), path.join(root, 'out-dir'));
    await fs.symlink(path.join(base, 'outside', 'secret.md'), path.join(root, 'out-file.md'));
    await fs.symlink(path.join(root, 'real', 'a.md'), path.join(root, 'alias.md'));
    await fs.symlink(path.join(root, 'nowhere.md'), path.join(root, 'broken.md'));
    await fs.symlink('self.md', path.join(root, 'self.md'));
    const entries = await scan();
    expect(files(entries).sort()).toEqual(['alias.md', 'real/a.md']);
    expect(skips(entries).sort()).toEqual([
      ['broken.md', 'unreadable'],
      ['out-dir', 'outside-root'],
      ['out-file.md', 'outside-root'],
      ['real/loop', 'symlink-loop'],
      ['self.md', 'symlink-loop'],
    ]);
    const outside = entries.find((e) => e.kind === 'skipped' && e.path === 'out-dir');
    expect(outside).toMatchObject({ message: expect.stringContaining('outside the folder') });
  });

  it('scans a folder reached through two links only once', async () => {
    await put('shared/n.md');
    await fs.symlink(path.join(root, 'shared'), path.join(root, 'z-link'));
    expect(files(await scan())).toEqual(['shared/n.md']);
  });

  it('reports folders nested past maxDepth as too deep', async () => {
    await put('l1/l2/l3/ok.md');
    await put('l1/l2/l3/l4/l5/deep.md');
    const entries = await scan({ maxDepth: 3 });
    expect(files(entries)).toEqual(['l1/l2/l3/ok.md']);
    expect(skips(entries)).toEqual([['l1/l2/l3/l4', 'too-deep']]);
  });

  it.runIf(process.platform === 'linux')(
    'reports names that are not valid UTF-8 as such, never as vanished, and scans the rest',
    async () => {
      await put('good.md');
      // Latin-1 "café.md" and a folder named with a lone 0xFF byte, as another system may leave them.
      const rootBytes = Buffer.from(root + path.sep);
      await fs.writeFile(
        Buffer.concat([rootBytes, Buffer.from([0x63, 0x61, 0x66, 0xe9]), Buffer.from('.md')]),
        'x',
      );
      await fs.mkdir(Buffer.concat([rootBytes, Buffer.from([0xff])]));
      await fs.writeFile(Buffer.concat([rootBytes, Buffer.from([0xff]), Buffer.from('/inner.md')]), 'x');
      const entries = await scan();
      expect(files(entries)).toEqual(['good.md']);
      expect(skips(entries).sort()).toEqual([
        ['caf\uFFFD.md', 'invalid-name'],
        ['\uFFFD', 'invalid-name'],
      ]);
      const skip = entries.find((entry) => entry.kind === 'skipped');
      expect(skip).toMatchObject({ message: expect.stringMatching(/not valid UTF-8.*rename it/) });
    },
  );

  it('reports files that vanish during the scan instead of throwing', async () => {
    await put('a.md');
    await put('b.md');
    const entries: ScanEntry[] = [];
    for await (const entry of scanFolder(root)) {
      entries.push(entry);
      if (entries.length === 1) await fs.rm(path.join(root, 'b.md'));
    }
    expect(files(entries)).toEqual(['a.md']);
    expect(skips(entries)).toEqual([['b.md', 'vanished']]);
  });

  it('reports folders that vanish during the scan', async () => {
    await put('a.md');
    await put('sub/b.md');
    const entries: ScanEntry[] = [];
    for await (const entry of scanFolder(root)) {
      entries.push(entry);
      if (entries.length === 1) await fs.rm(path.join(root, 'sub'), { recursive: true });
    }
    expect(skips(entries)).toEqual([['sub', 'vanished']]);
  });

  it('stops with CANCELLED when aborted', async () => {
    await put('a.md');
    await put('b.md');
    const controller = new AbortController();
    const seen: ScanEntry[] = [];
    const run = async () => {
      for await (const entry of scanFolder(root, {}, controller.signal)) {
        seen.push(entry);
        controller.abort();
      }
    };
    await expect(run()).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(seen).toHaveLength(1);
  });

  it('rejects a missing root and a file root with coded errors', async () => {
    await expect(scanFolder(path.join(base, 'missing')).next()).rejects.toBeInstanceOf(DriftlessError);
    await expect(scanFolder(path.join(base, 'missing')).next()).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await put('file.md');
    await expect(scanFolder(path.join(root, 'file.md')).next()).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });
});
