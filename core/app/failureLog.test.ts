import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { makeTempDir } from '../testing/index.ts';
import { openApp } from './index.ts';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => (temp = await makeTempDir()));
afterEach(() => temp.remove());

it('logs a side file it could not read and carries on, instead of dropping the failure', async () => {
  // A torn write of fusion.json (the chosen hybrid weights): search falls back to the default fusion.
  await fs.writeFile(path.join(temp.dir, 'fusion.json'), '{"model": "bundled", "den');
  const app = await openApp({ dataDir: temp.dir });
  try {
    expect((await app.api.status({})).folders).toBe(0);
    const log = await fs.readFile(path.join(temp.dir, 'driftless.log'), 'utf8');
    expect(log).toContain('Reading the hybrid fusion choice (fusion.json) failed: ');
    expect(log).toContain('fusion.json is not valid JSON');
  } finally {
    await app.close();
  }
});
