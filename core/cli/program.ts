import { Command } from 'commander';
import { DEFAULT_LOCK_WAIT_MS, type CliContext } from './context.ts';
import { registerAdapt } from './commands/adapt.ts';
import { registerAdd } from './commands/add.ts';
import { registerEval } from './commands/eval.ts';
import { registerFolders } from './commands/folders.ts';
import { registerModels } from './commands/models.ts';
import { registerReindex } from './commands/reindex.ts';
import { registerRemove } from './commands/remove.ts';
import { registerRepair } from './commands/repair.ts';
import { registerReport } from './commands/report.ts';
import { registerRollback } from './commands/rollback.ts';
import { registerSearch } from './commands/search.ts';
import { registerServe } from './commands/serve.ts';
import { registerSettings } from './commands/settings.ts';
import { registerStatus } from './commands/status.ts';
import { registerSync } from './commands/sync.ts';
import { registerVersions } from './commands/versions.ts';
import { parseSecondsToMs } from './parse.ts';

/**
 * The commands, in help order. A new command (versions, rollback, adapt, reindex, eval) is one file
 * in commands/ exporting its action and a `register` function, plus one line here.
 */
const COMMANDS: Array<(program: Command, context: CliContext) => void> = [
  registerSearch,
  registerAdd,
  registerRemove,
  registerSync,
  registerFolders,
  registerReport,
  registerStatus,
  registerRepair,
  registerVersions,
  registerRollback,
  registerAdapt,
  registerReindex,
  registerEval,
  registerModels,
  registerSettings,
  registerServe,
];

/** Builds the `driftless` program. It throws instead of exiting, and writes only through `context.io`. */
export function buildProgram(context: CliContext, version: string): Command {
  const program = new Command('driftless')
    .description(
      'Search your own notes locally; the encoder keeps learning, old notes never need re-indexing.',
    )
    .version(version)
    .option('--data-dir <dir>', 'the data folder (default: DRIFTLESS_DATA_DIR, else the platform convention)')
    .option(
      '--lock-wait <seconds>',
      `how long a command that writes waits while another Driftless process writes to the data folder, then fails with LOCKED (default: ${DEFAULT_LOCK_WAIT_MS / 1000}; serve: as long as it takes)`,
      parseSecondsToMs,
    )
    .exitOverride()
    .configureOutput({
      writeOut: (text) => void context.io.stdout.write(text),
      writeErr: (text) => void context.io.stderr.write(text),
      // main() prints errors itself as one `driftless: <message>` line.
      outputError: () => undefined,
    });
  for (const register of COMMANDS) register(program, context);
  return program;
}
