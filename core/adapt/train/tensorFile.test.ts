import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.ts';
import type { TrainingCheckpoint } from './checkpoint.ts';
import { decodeTensorFile, encodeTensorFile } from './tensorFile.ts';

describe('tensor files and checkpoints', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'driftless-ckpt-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips a header and tensors bit for bit', () => {
    const a = Float32Array.from([1.5, -0, Number.MIN_VALUE, 3e38]);
    const bytes = encodeTensorFile({ note: 'é' }, [
      { name: 'a', shape: [2, 2], data: a },
      { name: 'b', shape: [1], data: Float32Array.from([7]) },
    ]);
    const { header, tensors } = decodeTensorFile(bytes);
    expect(header.note).toBe('é');
    expect(Array.from(tensors.get('a') ?? [])).toEqual(Array.from(a));
    expect(Array.from(tensors.get('b') ?? [])).toEqual([7]);
    expect(() => decodeTensorFile(bytes.subarray(0, bytes.length - 4))).toThrow(
      expect.objectContaining({ code: 'CORRUPT' }),
    );
  });

  const checkpoint: TrainingCheckpoint = {
    fingerprint: 'run-a',
    step: 3,
    sampler: { rng: 42, order: [2, 0, 1], cursor: 1 },
    firstLoss: 1.25,
    lastLoss: 0.5,
    weights: new Map([['w', Float32Array.from([1, 2])]]),
    optimizer: {
      step: 3,
      m: new Map([['w', Float32Array.from([0.1, 0.2])]]),
      v: new Map([['w', Float32Array.from([0.3, 0.4])]]),
    },
  };

  it('loads the checkpoint of the same run only', async () => {
    await saveCheckpoint(dir, checkpoint);
    const loaded = await loadCheckpoint(dir, 'run-a');
    expect(loaded?.step).toBe(3);
    expect(loaded?.sampler).toEqual(checkpoint.sampler);
    expect(Array.from(loaded?.weights.get('w') ?? [])).toEqual([1, 2]);
    expect(Array.from(loaded?.optimizer.v.get('w') ?? [])).toEqual([0.30000001192092896, 0.4000000059604645]);
    expect(await loadCheckpoint(dir, 'run-b')).toBeUndefined();
    expect(await loadCheckpoint(path.join(dir, 'missing'), 'run-a')).toBeUndefined();
  });

  it('treats a damaged checkpoint as none', async () => {
    await saveCheckpoint(dir, checkpoint);
    const file = path.join(dir, 'checkpoint.bin');
    const bytes = await readFile(file);
    await writeFile(file, bytes.subarray(0, 20));
    expect(await loadCheckpoint(dir, 'run-a')).toBeUndefined();
  });
});
