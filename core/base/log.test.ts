import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../testing/index.ts';
import { logAndContinue, logFailure, openLog } from './log.ts';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => (temp = await makeTempDir()));
afterEach(() => temp.remove());

const logText = () => fs.readFile(path.join(temp.dir, 'driftless.log'), 'utf8');

describe('the failure log', () => {
  it('writes what failed and why to the data folder log, one dated line each', async () => {
    openLog(temp.dir);
    logFailure('Saving retrieval counts', new Error('disk full'));
    expect(await Promise.reject(new Error('no such model')).catch(logAndContinue('Opening a model'))).toBe(
      undefined,
    );
    const lines = (await logText()).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z Saving retrieval counts failed: disk full$/);
    expect(lines[1]).toMatch(/ Opening a model failed: no such model$/);
  });

  it('moves a log past a megabyte aside when the folder is opened, keeping one older file', async () => {
    const file = path.join(temp.dir, 'driftless.log');
    await fs.writeFile(file, 'x'.repeat(1_000_001));
    openLog(temp.dir);
    logFailure('Checking', 'a reason that is not an Error');
    expect((await fs.stat(`${file}.1`)).size).toBe(1_000_001);
    expect(await logText()).toMatch(/ Checking failed: a reason that is not an Error\n$/);
  });

  it('never throws when the log file cannot be written', async () => {
    openLog(path.join(temp.dir, 'removed'));
    expect(() => logFailure('Writing', new Error('gone'))).not.toThrow();
  });
});
