import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

export const ROOT = path.resolve(import.meta.dirname, '..');
const URL_PATTERN = /(http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/;
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

/** A running `driftless serve` child and the URL (with its token) it printed. */
export interface ServeProcess {
  url: string;
  stop(): Promise<void>;
}

/**
 * Runs a TypeScript entry of this repository that ends in `driftless serve` (the CLI itself or the
 * e2e wrapper) on `dataDir`, serving on a free port without opening a browser, and resolves once it
 * printed its URL.
 */
export async function startServe(entry: string, dataDir: string): Promise<ServeProcess> {
  const args = ['--data-dir', dataDir, 'serve', '--port', '0', '--no-open'];
  const server = spawn(process.execPath, ['bin/run-ts.mjs', entry, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    return { url: await readServerUrl(server), stop: () => stop(server) };
  } catch (error) {
    await stop(server);
    throw error;
  }
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

/** Asks the server to close (it finishes its write in progress), and kills it if it does not in time. */
function stop(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const deadline = setTimeout(() => server.kill('SIGKILL'), STOP_TIMEOUT_MS);
    server.once('exit', () => {
      clearTimeout(deadline);
      resolve();
    });
    server.kill('SIGTERM');
  });
}
