import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256 } from '../base/index.ts';
import type { ModelCatalogue } from './catalogue.ts';
import { ModelManager } from './manager.ts';
import { fileDigest, pinCatalogueHashes } from './pinHashes.ts';
import { fixtureEntry, hubFiles } from './testing/fixtureEntry.ts';
import { startModelServer, type ModelServer } from './testing/modelServer.ts';
import { buildTinyBert } from './testing/tinyBert.ts';

const model = buildTinyBert();
/** The catalogue as shipped before pinning: every hash and size unknown. */
const unpinned: ModelCatalogue = { schemaVersion: 1, models: [fixtureEntry(model, {}, true)] };
const entry = unpinned.models[0]!;
const onnx = model.files.find((file) => file.path === 'onnx/model.onnx')!.bytes;
let server: ModelServer;
let dataDir: string;

/** What the hub's `raw` URLs serve: the model as its Git LFS pointer, the small files as themselves. */
function rawFiles(): Map<string, Uint8Array> {
  const raw = new Map<string, Uint8Array>();
  for (const file of model.files) {
    const body =
      file.path === 'onnx/model.onnx'
        ? new TextEncoder().encode(
            `version https://git-lfs.github.com/spec/v1\noid sha256:${sha256(file.bytes)}\nsize ${file.bytes.length}\n`,
          )
        : file.bytes;
    raw.set(`/${entry.repo}/raw/${entry.revision}/${file.path}`, body);
  }
  return raw;
}

beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-pin-'));
  server = await startModelServer(new Map([...rawFiles(), ...hubFiles(entry, model)]));
});

afterEach(async () => {
  await server.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('pinCatalogueHashes', () => {
  it('pins each file from its LFS pointer or its bytes, and the pinned catalogue refuses a tampered file', async () => {
    const pinned = await pinCatalogueHashes(unpinned, server.baseUrl);
    expect(pinned.models[0]!.files.map(({ path, sha256, size }) => ({ path, sha256, size }))).toEqual(
      model.files.map((file) => ({ path: file.path, sha256: sha256(file.bytes), size: file.bytes.length })),
    );

    const tampered = Uint8Array.from(onnx);
    tampered[100] = tampered[100]! ^ 0xff;
    server.files.set(`/${entry.repo}/resolve/${entry.revision}/onnx/model.onnx`, tampered);
    const manager = new ModelManager(path.join(dataDir, 'models'), pinned);
    const download = manager.download(entry.id, { baseUrl: server.baseUrl });
    await expect(download).rejects.toMatchObject({
      code: 'CORRUPT',
      message: expect.stringContaining(`sha256 ${sha256(onnx)}; got`),
      details: { expected: { sha256: sha256(onnx) }, actual: { sha256: sha256(tampered) } },
    });
    expect(await manager.installed(entry.id)).toBeNull();
  });

  it('keeps hashes it already has and says which file the hub lacks', async () => {
    const known = fixtureEntry(model);
    expect(await pinCatalogueHashes({ schemaVersion: 1, models: [known] }, server.baseUrl)).toEqual({
      schemaVersion: 1,
      models: [known],
    });
    expect(server.requests).toEqual([]);
    server.files.delete(`/${entry.repo}/raw/${entry.revision}/tokenizer.json`);
    await expect(pinCatalogueHashes(unpinned, server.baseUrl)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('tokenizer.json'),
    });
  });

  it('refuses an LFS pointer without its oid', () => {
    const pointer = new TextEncoder().encode('version https://git-lfs.github.com/spec/v1\nsize 12\n');
    expect(() => fileDigest(pointer)).toThrow(expect.objectContaining({ code: 'CORRUPT' }));
  });
});
