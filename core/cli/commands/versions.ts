import type { Command } from 'commander';
import type { DriftlessApi, VersionInfo } from '../../service/index.ts';
import { formatJson, sanitize } from '../format.ts';
import type { Io } from '../io.ts';
import type { CliContext } from '../context.ts';

/** One line per encoder version (current mark, parent, rows, compensator, gate figures), then its step plan. */
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
  if (v.metrics) parts.push(...gateFigures(v.metrics));
  return `${sanitize(parts.join('  '))}\n${stepPlanLine(v)}`;
}

/**
 * How many steps the version's training planned, of the configured ones, and why, on a line of its
 * own (the reason is a sentence); nothing for versions trained before runs planned their steps.
 */
function stepPlanLine({ stepPlan }: VersionInfo): string {
  if (!stepPlan) return '';
  return `${sanitize(`    trained ${stepPlan.steps} of ${stepPlan.configuredSteps} steps: ${stepPlan.reason}`)}\n`;
}

const change = (before: number, after: number) => `${before.toFixed(3)} -> ${after.toFixed(3)}`;

/**
 * What the gate measured when the version was adopted: held-out MRR@10 in the user's search mode,
 * with the gain's standard error, and the part from older notes. Versions published before the
 * gate searched the live index name them `newNotesMrr*` and `oldNotesMrrCompensated`.
 */
function gateFigures(m: Record<string, number>): string[] {
  const figures: string[] = [];
  const { mrrBefore, mrrAfter, gainStdError, gateQueries } = m;
  if (mrrBefore !== undefined && mrrAfter !== undefined) {
    const noise =
      gainStdError === undefined || gateQueries === undefined
        ? ''
        : ` (±${gainStdError.toFixed(3)} on ${gateQueries} queries)`;
    figures.push(`gate MRR ${change(mrrBefore, mrrAfter)}${noise}`);
  } else if (m.newNotesMrrBefore !== undefined && m.newNotesMrrAfter !== undefined)
    figures.push(`new notes MRR ${change(m.newNotesMrrBefore, m.newNotesMrrAfter)}`);
  const oldAfter = m.oldNotesMrrAfter ?? m.oldNotesMrrCompensated;
  if (m.oldNotesQueries !== 0 && m.oldNotesMrrBefore !== undefined && oldAfter !== undefined)
    figures.push(`old notes MRR ${change(m.oldNotesMrrBefore, oldAfter)}`);
  return figures;
}

/** Lists encoder versions (`*` marks the current one); `--json` prints the contract's VersionInfo[]. */
export async function versionsCommand(api: DriftlessApi, options: { json?: boolean }, io: Io): Promise<void> {
  const versions = await api.listVersions({});
  io.stdout.write(options.json ? formatJson(versions) : formatVersions(versions));
}

export function registerVersions(program: Command, context: CliContext): void {
  program
    .command('versions')
    .description('list encoder versions, their rows, compensators, gate results and training steps')
    .option('--json', 'print VersionInfo[] as JSON')
    .action((options: { json?: boolean }, command: Command) =>
      context.withApp(command, (session) => versionsCommand(session.api, options, context.io)),
    );
}
