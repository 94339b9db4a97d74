import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrBuildV0 } from './modelCache.ts';
import { readUseLiteSource } from './weights.ts';

describe('loadOrBuildV0', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'driftless-model-cache-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('builds once, then reuses the model while its source hash matches', async () => {
    const source = await readUseLiteSource();
    const first = await loadOrBuildV0(dir, source);
    expect(first.built).toBe(true);
    const second = await loadOrBuildV0(dir, source);
    expect(second.built).toBe(false);
    expect(Buffer.compare(Buffer.from(second.bytes), Buffer.from(first.bytes))).toBe(0);
    expect(JSON.parse(await readFile(path.join(dir, 'encoder-v0.json'), 'utf8'))).toMatchObject({
      sourceHash: source.hash,
    });
  });

  it('rebuilds when the weights changed or the file is damaged', async () => {
    const source = await readUseLiteSource();
    await loadOrBuildV0(dir, source);
    expect((await loadOrBuildV0(dir, { ...source, hash: 'other-weights' })).built).toBe(true);
    await writeFile(path.join(dir, 'encoder-v0.onnx'), 'damaged');
    const repaired = await loadOrBuildV0(dir, { ...source, hash: 'other-weights' });
    expect(repaired.built).toBe(true);
    expect(repaired.bytes.length).toBeGreaterThan(1_000_000);
  });
});
