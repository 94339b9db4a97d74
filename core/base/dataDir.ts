import os from 'node:os';
import path from 'node:path';

/**
 * Where Driftless keeps its index, encoder versions and settings. An explicit directory (CLI flag,
 * Electron's userData) wins, then DRIFTLESS_DATA_DIR, then the platform's convention.
 */
export function resolveDataDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return path.resolve(explicit);
  if (env.DRIFTLESS_DATA_DIR) return path.resolve(env.DRIFTLESS_DATA_DIR);
  const home = os.homedir();
  switch (process.platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', 'Driftless');
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Driftless');
    default:
      return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'driftless');
  }
}

/** The fixed layout inside a data directory. */
export function dataPaths(dataDir: string) {
  return {
    root: dataDir,
    index: path.join(dataDir, 'index'),
    /** Feedback events: outside `index/`, so rebuilding the index keeps them. */
    feedback: path.join(dataDir, 'feedback'),
    versions: path.join(dataDir, 'versions'),
    models: path.join(dataDir, 'models'),
    jobs: path.join(dataDir, 'jobs'),
    settings: path.join(dataDir, 'settings.json'),
    lock: path.join(dataDir, 'writer.lock'),
  };
}

export type DataPaths = ReturnType<typeof dataPaths>;
