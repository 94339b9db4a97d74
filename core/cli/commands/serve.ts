import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { DriftlessError } from '../../base/index.ts';
import type { App } from '../../app/types.ts';
import { interruption, type Io } from '../io.ts';
import { writeLauncherPage, type LauncherPage } from '../openUrl.ts';
import { parseInteger } from '../parse.ts';
import type { CliContext } from '../context.ts';

export interface ServeOptions {
  port?: number;
  open: boolean;
  staticDir: string;
  /** Opens a URL in the browser; it gets a launcher page's `file://` URL, never the token. */
  openUrl: (url: string) => void;
}

/**
 * Serves the search window to a browser on this machine until interrupted, then closes the server.
 * The printed URL carries the per-run token in its fragment (`/#token=…`), which the browser never
 * sends to a server; the page keeps it for its own origin only (see core/http/server.ts). The
 * browser is opened through a private launcher page, so the token stays out of every command line.
 */
export async function serveCommand(app: App, options: ServeOptions, io: Io): Promise<void> {
  if (options.port !== undefined && options.port > 65535)
    throw new DriftlessError('INVALID_ARGUMENT', '--port must be at most 65535.');
  if (!fs.existsSync(path.join(options.staticDir, 'index.html'))) {
    io.stderr.write(
      `driftless: warning: no built search window in ${options.staticDir}; run \`npm run build:renderer\`.\n`,
    );
  }
  const stopped = interruption(io);
  let launcher: LauncherPage | undefined;
  try {
    const { startHttpServer } = await import('../../http/index.ts');
    const server = await startHttpServer({
      app,
      staticDir: options.staticDir,
      ...(options.port !== undefined ? { port: options.port } : {}),
    });
    io.stdout.write(`Driftless is serving at ${server.signedInUrl}\nPress Ctrl-C to stop.\n`);
    if (options.open) {
      launcher = await writeLauncherPage(server.signedInUrl);
      options.openUrl(launcher.url);
    }
    await stopped.promise;
    await server.close();
  } finally {
    stopped.dispose();
    await launcher?.remove();
  }
}

export function registerServe(program: Command, context: CliContext): void {
  program
    .command('serve')
    .description('serve the search window to your browser on 127.0.0.1')
    .option('--port <n>', 'port to listen on (default: a free one)', parseInteger)
    .option('--no-open', 'do not open a browser')
    .action((options: { port?: number; open: boolean }, command: Command) =>
      context.withApp(
        command,
        (_session, app) =>
          serveCommand(
            app,
            { ...options, staticDir: context.staticDir, openUrl: context.openUrl },
            context.io,
          ),
        // An index too damaged to open is moved aside (kept), so the window opens, says so and
        // offers Repair, instead of the server failing to start.
        { watch: true, setAsideDamagedIndex: true, serving: true },
      ),
    );
}
