import type { Command } from 'commander';
import { ensureDataDir, resolveDataDir } from '../base/index.ts';
import type { App, AppOptions } from '../app/types.ts';
import { createApiClient, dispatch } from '../service/index.ts';
import type { AppSession, Io } from './io.ts';

/** What every command registration shares: output, how to open the app, and serve's settings. */
export interface CliContext {
  readonly io: Io;
  readonly staticDir: string;
  readonly openUrl: (url: string) => void;
  /**
   * Opens the data folder chosen by `--data-dir` (else the default), runs `fn` and closes the app,
   * also on failure. The session's API goes through `dispatch`, so the CLI's arguments are validated
   * by the same schemas as every other transport.
   */
  withApp(
    command: Command,
    fn: (session: AppSession, app: App) => Promise<unknown>,
    options?: { watch?: boolean; setAsideDamagedIndex?: boolean; openDamagedIndex?: boolean },
  ): Promise<void>;
}

export function createContext(settings: {
  io: Io;
  staticDir: string;
  openUrl: (url: string) => void;
  openApp: (options: AppOptions) => Promise<App>;
  env: NodeJS.ProcessEnv;
}): CliContext {
  return {
    io: settings.io,
    staticDir: settings.staticDir,
    openUrl: settings.openUrl,
    async withApp(command, fn, options = {}) {
      const { dataDir: chosen } = command.optsWithGlobals<{ dataDir?: string }>();
      const dataDir = resolveDataDir(chosen, settings.env);
      await ensureDataDir(dataDir);
      const app = await settings.openApp({
        dataDir,
        watch: options.watch ?? false,
        ...(options.setAsideDamagedIndex ? { setAsideDamagedIndex: true } : {}),
        ...(options.openDamagedIndex ? { openDamagedIndex: true } : {}),
      });
      const session: AppSession = {
        api: createApiClient((method, args) => dispatch(app.api, method, args)),
        events: app.events,
        idle: () => app.idle(),
      };
      try {
        await fn(session, app);
      } finally {
        await app.close();
      }
    },
  };
}
