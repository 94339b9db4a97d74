import type { Command } from 'commander';
import type { DriftlessApi, VersionInfo } from '../../service/index.ts';
import { formatJson, sanitize } from '../format.ts';
import type { Io } from '../io.ts';
import type { CliContext } from '../context.ts';

/** One line per encoder version: current mark, parent, rows, compensator and gate figures. */
export function formatVersions(versions: readonly VersionInfo[]): string {
  return versions.map(versionLine).join('');
}

function versionLine(v: VersionInfo): string {
  const parts = [
    `${v.current ? '*' : ' '} ${v.version}`,
    v.parent ? `from ${v.parent}` : 'pretrained',
    `${v.rows} rows`,
    new Date(v.createdMs).toISOString().slice(0, 16).replace('T', ' '),
  ];
  if (v.compensator)
    parts.push(`compensator ${v.compensator.kind} (fit ${v.compensator.quality.toFixed(3)})`);
  const m = v.metrics;
  if (m?.newNotesMrrBefore !== undefined && m.newNotesMrrAfter !== undefined)
    parts.push(`new notes MRR ${m.newNotesMrrBefore.toFixed(3)} -> ${m.newNotesMrrAfter.toFixed(3)}`);
  if (m?.oldNotesMrrBefore !== undefined && m.oldNotesMrrCompensated !== undefined)
    parts.push(`old notes MRR ${m.oldNotesMrrBefore.toFixed(3)} -> ${m.oldNotesMrrCompensated.toFixed(3)}`);
  return `${sanitize(parts.join('  '))}\n`;
}

/** Lists encoder versions (`*` marks the current one); `--json` prints the contract's VersionInfo[]. */
export async function versionsCommand(api: DriftlessApi, options: { json?: boolean }, io: Io): Promise<void> {
  const versions = await api.listVersions({});
  io.stdout.write(options.json ? formatJson(versions) : formatVersions(versions));
}

export function registerVersions(program: Command, context: CliContext): void {
  program
    .command('versions')
    .description('list encoder versions, their rows, compensators and gate results')
    .option('--json', 'print VersionInfo[] as JSON')
    .action((options: { json?: boolean }, command: Command) =>
      context.withApp(command, (session) => versionsCommand(session.api, options, context.io)),
    );
}
