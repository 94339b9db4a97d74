import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { SERVER_URL_ENV } from './server.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const URL_PATTERN = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/;
const START_TIMEOUT_MS = 60_000;

/**
 * Starts the real web mode (`driftless serve`) on a fresh data folder and a free port, and hands the
 * printed URL (with its token) to the specs. Returns the teardown.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-e2e-'));
  const server = spawn(
    process.execPath,
    ['bin/driftless.mjs', '--data-dir', dataDir, 'serve', '--port', '0'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  process.env[SERVER_URL_ENV] = await readServerUrl(server);
  return async () => {
    await stop(server);
    await fs.rm(dataDir, { recursive: true, force: true });
  };
}

function readServerUrl(server: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('driftless serve printed no URL in time')),
      START_TIMEOUT_MS,
    );
    server.once('exit', (code) => reject(new Error(`driftless serve exited early with code ${code}`)));
    readline.createInterface({ input: server.stdout! }).on('line', (line) => {
      const url = URL_PATTERN.exec(line)?.[1];
      if (!url) return;
      clearTimeout(timer);
      resolve(url);
    });
  });
}

function stop(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    server.once('exit', () => resolve());
    server.kill('SIGTERM');
  });
}
