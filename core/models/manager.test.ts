import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256 } from '../base/index.ts';
import type { Progress } from '../base/index.ts';
import type { ModelEntry } from './catalogue.ts';
import { ModelManager } from './manager.ts';
import { fixtureEntry, hubFiles } from './testing/fixtureEntry.ts';
import { startModelServer, unreachableBaseUrl } from './testing/modelServer.ts';
import type { ModelServer } from './testing/modelServer.ts';
import { buildTinyBert, writeTinyBert } from './testing/tinyBert.ts';

const model = buildTinyBert();
const onnxBytes = model.files[0]?.bytes as Uint8Array;
let dataDir: string;
let server: ModelServer;

function managerFor(entry: ModelEntry): ModelManager {
  return new ModelManager(path.join(dataDir, 'models'), { schemaVersion: 1, models: [entry] });
}

function modelUrlPath(entry: ModelEntry): string {
  return `/${entry.repo}/resolve/${entry.revision}/onnx/model.onnx`;
}

beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-models-'));
  server = await startModelServer(hubFiles(fixtureEntry(model), model));
});

afterEach(async () => {
  await server.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('ModelManager.download', () => {
  it('downloads, verifies and installs a model that then embeds', async () => {
    const manager = managerFor(fixtureEntry(model));
    expect((await manager.list())[0]?.installed).toBeNull();
    const progress: Progress[] = [];
    const record = await manager.download('tiny-bert', {
      baseUrl: server.baseUrl,
      onProgress: (p) => progress.push(p),
    });
    expect(record.files.map((f) => f.sha256)).toEqual(model.files.map((f) => sha256(f.bytes)));
    const onDisk = await fs.readFile(path.join(manager.modelDir('tiny-bert'), 'onnx/model.onnx'));
    expect(sha256(onDisk)).toBe(sha256(onnxBytes));
    const last = progress.filter((p) => p.detail === 'onnx/model.onnx').at(-1);
    expect(last).toMatchObject({ phase: 'download', done: onnxBytes.length, total: onnxBytes.length });
    expect((await manager.list())[0]?.installed?.source).toBe('download');
    await expect(fs.readdir(path.join(dataDir, 'models', '.staging'))).resolves.toEqual([]);

    const encoder = await manager.openEncoder('tiny-bert', { version: 'v0' });
    const [vector] = await encoder.embedQueries(['where are my notes']);
    await encoder.close();
    expect(Math.hypot(...(vector as Float32Array))).toBeCloseTo(1, 5);
  });

  it('resumes a download cut mid-file with a Range request and ends with the right hash', async () => {
    const entry = fixtureEntry(model);
    const manager = managerFor(entry);
    const cutAt = Math.floor(onnxBytes.length / 3);
    server.faults.set(modelUrlPath(entry), { kind: 'cut', afterBytes: cutAt });
    // The cut is a transient failure: the same download tries again from where the bytes stopped.
    const record = await manager.download('tiny-bert', { baseUrl: server.baseUrl });
    const resumed = server.requests.filter((r) => r.path === modelUrlPath(entry)).at(-1);
    expect(resumed?.range).toMatch(/^bytes=\d+-$/);
    expect(Number(resumed?.range?.slice(6, -1))).toBeGreaterThan(0);
    expect(record.files[0]?.sha256).toBe(sha256(onnxBytes));
    expect(sha256(await fs.readFile(path.join(manager.modelDir('tiny-bert'), 'onnx/model.onnx')))).toBe(
      sha256(onnxBytes),
    );
  });

  it('rejects wrong bytes with CORRUPT, deletes them and installs nothing', async () => {
    const entry = fixtureEntry(model);
    const manager = managerFor(entry);
    const wrong = onnxBytes.slice();
    wrong[100] = (wrong[100] as number) ^ 0xff;
    server.files.set(modelUrlPath(entry), wrong);
    await expect(manager.download('tiny-bert', { baseUrl: server.baseUrl })).rejects.toMatchObject({
      code: 'CORRUPT',
      details: { actual: { sha256: sha256(wrong) } },
    });
    expect(await manager.installed('tiny-bert')).toBeNull();
    await expect(fs.stat(manager.modelDir('tiny-bert'))).rejects.toThrow();
    const staged = await fs.readdir(path.join(dataDir, 'models', '.staging', 'tiny-bert', 'onnx'));
    expect(staged).toEqual([]);
  });

  it('records the observed hashes when the catalogue has none (trust on first use)', async () => {
    const manager = managerFor(fixtureEntry(model, {}, true));
    const record = await manager.download('tiny-bert', { baseUrl: server.baseUrl });
    expect(record.files.find((f) => f.path === 'onnx/model.onnx')).toEqual({
      path: 'onnx/model.onnx',
      sha256: sha256(onnxBytes),
      size: onnxBytes.length,
    });
    expect((await manager.installed('tiny-bert'))?.files).toEqual(record.files);
    await expect(manager.verify('tiny-bert')).resolves.toEqual(record);
    await fs.appendFile(path.join(manager.modelDir('tiny-bert'), 'onnx/model.onnx'), 'x');
    await expect(manager.verify('tiny-bert')).rejects.toMatchObject({
      code: 'CORRUPT',
      details: { file: 'onnx/model.onnx' },
    });
  });

  it('fails with OFFLINE when the host cannot be reached', async () => {
    const manager = managerFor(fixtureEntry(model));
    await expect(
      manager.download('tiny-bert', { baseUrl: await unreachableBaseUrl() }),
    ).rejects.toMatchObject({ code: 'OFFLINE' });
    expect(await manager.installed('tiny-bert')).toBeNull();
  });

  it('fails with NOT_FOUND when the hub lacks a file', async () => {
    const entry = fixtureEntry(model);
    server.files.delete(modelUrlPath(entry));
    await expect(managerFor(entry).download('tiny-bert', { baseUrl: server.baseUrl })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('cancels via AbortSignal, keeps the partial file, and resumes later', async () => {
    const entry = fixtureEntry(model);
    const manager = managerFor(entry);
    server.faults.set(modelUrlPath(entry), { kind: 'stall', afterBytes: 1000 });
    const controller = new AbortController();
    const onProgress = (p: Progress) => {
      if (p.detail === 'onnx/model.onnx' && p.done >= 1000) controller.abort();
    };
    await expect(
      manager.download('tiny-bert', { baseUrl: server.baseUrl, onProgress, signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(await manager.installed('tiny-bert')).toBeNull();
    const partial = await fs.stat(
      path.join(dataDir, 'models', '.staging', 'tiny-bert', 'onnx', 'model.onnx.partial'),
    );
    expect(partial.size).toBe(1000);

    await manager.download('tiny-bert', { baseUrl: server.baseUrl });
    expect(server.requests.some((r) => r.range === 'bytes=1000-')).toBe(true);
    expect(await manager.installed('tiny-bert')).not.toBeNull();
  });

  it('rejects an unknown model id with NOT_FOUND', async () => {
    await expect(
      managerFor(fixtureEntry(model)).download('nope', { baseUrl: server.baseUrl }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('ModelManager.importFromFolder', () => {
  it('imports a folder laid out like the repository, or flat, and verifies it', async () => {
    const source = path.join(dataDir, 'source');
    await writeTinyBert(source, model);
    const manager = managerFor(fixtureEntry(model));
    const record = await manager.importFromFolder('tiny-bert', source);
    expect(record.source).toBe('import');
    expect(record.files.map((f) => f.sha256)).toEqual(model.files.map((f) => sha256(f.bytes)));
    const encoder = await manager.openEncoder('tiny-bert', { version: 'v0' });
    await encoder.close();

    await manager.remove('tiny-bert');
    expect(await manager.installed('tiny-bert')).toBeNull();
    const flat = path.join(dataDir, 'flat');
    await fs.mkdir(flat);
    for (const f of model.files) await fs.writeFile(path.join(flat, path.basename(f.path)), f.bytes);
    await expect(manager.importFromFolder('tiny-bert', flat)).resolves.toMatchObject({ source: 'import' });
  });

  it('rejects a folder with a modified file as CORRUPT and one missing files as NOT_FOUND', async () => {
    const source = path.join(dataDir, 'source');
    await writeTinyBert(source, model);
    const manager = managerFor(fixtureEntry(model));
    await fs.appendFile(path.join(source, 'tokenizer.json'), ' ');
    await expect(manager.importFromFolder('tiny-bert', source)).rejects.toMatchObject({ code: 'CORRUPT' });
    await fs.rm(path.join(source, 'onnx'), { recursive: true });
    await expect(manager.importFromFolder('tiny-bert', source)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      details: { missing: ['onnx/model.onnx'] },
    });
    expect(await manager.installed('tiny-bert')).toBeNull();
  });
});

describe('ModelManager.openEncoder', () => {
  it('refuses a model whose installed file changed on disk, before onnxruntime reads it', async () => {
    const manager = managerFor(fixtureEntry(model));
    await manager.download('tiny-bert', { baseUrl: server.baseUrl });
    const installed = path.join(manager.modelDir('tiny-bert'), 'onnx/model.onnx');
    const tampered = Uint8Array.from(onnxBytes);
    tampered[100] = tampered[100]! ^ 0xff;
    await fs.writeFile(installed, tampered);

    await expect(manager.openEncoder('tiny-bert', { version: 'v0' })).rejects.toMatchObject({
      code: 'CORRUPT',
      message: expect.stringContaining('changed since it was installed; download or import the model again'),
      details: { file: 'onnx/model.onnx', expected: sha256(onnxBytes), actual: sha256(tampered) },
    });
    await fs.writeFile(installed, onnxBytes);
    const encoder = await manager.openEncoder('tiny-bert', { version: 'v0' });
    await encoder.close();
  });
});
