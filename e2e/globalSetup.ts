import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SERVER_URL_ENV } from './server.ts';
import { startServe } from './serverProcess.ts';

/**
 * Starts the real web mode (`driftless serve`, with tiny adaptation runs: see serveForTests.ts) on
 * a fresh data folder and a free port, and hands the printed URL (with its token) to the specs.
 * Returns the teardown.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-e2e-'));
  const server = await startServe('e2e/serveForTests.ts', [
    '--data-dir',
    dataDir,
    'serve',
    '--port',
    '0',
    '--no-open',
  ]);
  process.env[SERVER_URL_ENV] = server.url;
  return async () => {
    await server.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  };
}
