import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DriftlessError, ERROR_CODES } from '../../core/base/index.ts';
import { log } from './log.ts';

export interface Workspace {
  dataDir: string;
  notesDir: string;
  syntheticDir: string;
  /** Removes the temporary folders this workspace created (never ones the user gave), unless kept. */
  cleanup(): Promise<void>;
}

/** Folders for one benchmark run: given ones are used as they are, the others go in a temp folder. */
export async function openWorkspace(options: {
  dataDir?: string;
  notesDir?: string;
  keep: boolean;
}): Promise<Workspace> {
  const temp = await mkdtemp(path.join(os.tmpdir(), 'driftless-bench-'));
  const notesDir = options.notesDir ?? path.join(temp, 'notes');
  const workspace = {
    dataDir: options.dataDir ?? path.join(temp, 'data'),
    notesDir,
    syntheticDir: options.notesDir ? `${options.notesDir}-synthetic` : path.join(temp, 'synthetic'),
    cleanup: async () => {
      if (options.keep) log(`kept ${temp}`);
      else await rm(temp, { recursive: true, force: true });
    },
  };
  await mkdir(workspace.dataDir, { recursive: true });
  return workspace;
}

/**
 * Prints the report as JSON on stdout and, when asked, writes it to a file too. A figure that could not
 * be measured is written as null rather than left out, so every run has the same keys.
 */
export async function emitReport(report: unknown, out?: string): Promise<void> {
  const json = `${JSON.stringify(report, (_key, value: unknown) => (value === undefined ? null : value), 2)}\n`;
  process.stdout.write(json);
  if (out) {
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, json, 'utf8');
    log(`wrote ${out}`);
  }
}

/** Runs a benchmark's main function; a failure prints its message and exits with the error's code. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    const failure = DriftlessError.from(error);
    process.stderr.write(`[bench] ${failure.code}: ${failure.message}\n`);
    process.exitCode = ERROR_CODES[failure.code].exit;
  });
}
