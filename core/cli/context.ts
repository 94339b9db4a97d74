import type { Command } from 'commander';
import { ensureDataDir, resolveDataDir } from '../base/index.ts';
import type { App, AppOptions } from '../app/types.ts';
import type { AppSession, Io } from './io.ts';

/**
 * How long a command's write jobs wait while another process holds the writer lock, then fail with
 * LOCKED naming it (--lock-wait): long enough for the app's import or adaptation to finish, short
 * enough that a holder stuck in a job that never ends does not hang a script.
 */
export const DEFAULT_LOCK_WAIT_MS = 600_000;

/** What every command registration shares: output, how to open the app, and serve's settings. */
export interface CliContext {
  readonly io: Io;
  readonly staticDir: string;
  readonly openUrl: (url: string) => void;
  /**
   * Opens the data folder chosen by `--data-dir` (else the default), runs `fn` and closes the app,
   * also on failure. The session's API goes through `dispatch`, so the CLI's arguments are validated
   * by the same schemas as every other transport. Write jobs wait for another writer up to
   * --lock-wait (DEFAULT_LOCK_WAIT_MS), or with `serving` (the window's app) as long as it takes
   * unless --lock-wait is given.
   */
  withApp(
    command: Command,
    fn: (session: AppSession, app: App) => Promise<unknown>,
    options?: {
      watch?: boolean;
      setAsideDamagedIndex?: boolean;
      openDamagedIndex?: boolean;
      serving?: boolean;
    },
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
      const { dataDir: chosen, lockWait } = command.optsWithGlobals<{
        dataDir?: string;
        lockWait?: number;
      }>();
      const dataDir = resolveDataDir(chosen, settings.env);
      await ensureDataDir(dataDir);
      const lockWaitMs = lockWait ?? (options.serving ? undefined : DEFAULT_LOCK_WAIT_MS);
      // Loaded here, with the app, so --help and usage errors never load the contract's schemas.
      const { createApiClient, dispatch } = await import('../service/index.ts');
      const app = await settings.openApp({
        dataDir,
        watch: options.watch ?? false,
        command: commandLine(command),
        ...(lockWaitMs === undefined ? {} : { lockWaitMs }),
        ...(options.setAsideDamagedIndex ? { setAsideDamagedIndex: true } : {}),
        ...(options.openDamagedIndex ? { openDamagedIndex: true } : {}),
      });
      const session: AppSession = {
        api: createApiClient((method, args) => dispatch(app.api, method, args)),
        events: app.events,
        idle: () => app.idle(),
        ...(lockWaitMs === undefined ? {} : { lockWaitMs }),
      };
      try {
        await fn(session, app);
      } finally {
        await app.close();
      }
    },
  };
}

/** `driftless add`, `driftless models download`: the command as typed, without its arguments. */
function commandLine(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at; at = at.parent) names.unshift(at.name());
  return names.join(' ');
}
