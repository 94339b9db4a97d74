import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CommanderError } from 'commander';
import { DriftlessError, ERROR_CODES } from '../base/index.ts';
import type { App, AppOptions } from '../app/types.ts';
import { createContext } from './context.ts';
import { processInterrupts, type Io, type OutputStream } from './io.ts';
import { openUrlInBrowser } from './openUrl.ts';
import { buildProgram } from './program.ts';

/** Test seams; every one defaults to the real thing. */
export interface MainOptions {
  openApp?: (options: AppOptions) => Promise<App>;
  stdout?: OutputStream;
  stderr?: OutputStream;
  /** Subscribes to Ctrl-C / termination (default: SIGINT and SIGTERM of this process). */
  onInterrupt?: (listener: () => void) => () => void;
  /** The built renderer for `serve` (default: renderer/dist of this package). */
  staticDir?: string;
  openUrl?: (url: string) => void;
  env?: NodeJS.ProcessEnv;
}

const PACKAGE_ROOT = new URL('../../', import.meta.url);

/**
 * Runs the `driftless` command line and resolves to the exit code: 0 on success, else the code of the
 * error's kind from ERROR_CODES (2 for usage errors, 130 when cancelled). Errors print as one line,
 * `driftless: <message>`, on stderr.
 *
 * @example
 * process.exitCode = await main(process.argv.slice(2));
 */
export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  const io: Io = {
    stdout: options.stdout ?? process.stdout,
    stderr: options.stderr ?? process.stderr,
    onInterrupt: options.onInterrupt ?? processInterrupts,
  };
  const context = createContext({
    io,
    staticDir: options.staticDir ?? fileURLToPath(new URL('renderer/dist', PACKAGE_ROOT)),
    openUrl:
      options.openUrl ??
      ((url) => openUrlInBrowser(url, (message) => io.stderr.write(`driftless: ${message}\n`))),
    openApp: options.openApp ?? openRealApp,
    env: options.env ?? process.env,
  });
  try {
    await buildProgram(context, packageVersion()).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    return report(io, error);
  }
}

function report(io: Io, error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and version output are already written; their "errors" only carry the exit code.
    if (error.code.startsWith('commander.help') || error.code === 'commander.version') return error.exitCode;
    io.stderr.write(`driftless: ${error.message.replace(/^error: /, '')}\n`);
    return ERROR_CODES.INVALID_ARGUMENT.exit;
  }
  const failure = DriftlessError.from(error);
  io.stderr.write(`driftless: ${failure.message}\n`);
  return ERROR_CODES[failure.code].exit;
}

/** Loaded lazily so `--help` and usage errors never load the index or the encoder. */
async function openRealApp(options: AppOptions): Promise<App> {
  const { openApp } = await import('../app/index.ts');
  return await openApp(options);
}

function packageVersion(): string {
  const text = fs.readFileSync(new URL('package.json', PACKAGE_ROOT), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}
