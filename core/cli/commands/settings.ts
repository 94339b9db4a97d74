import type { Command } from 'commander';
import { DriftlessError } from '../../base/index.ts';
import type { DriftlessApi, Settings } from '../../service/index.ts';
import { formatJson, sanitize } from '../format.ts';
import type { Io } from '../io.ts';
import type { CliContext } from '../context.ts';

type SettingValue = string | number | boolean | string[];

/** Every setting by its dotted name (`adaptation.trainingMinutes`), in the contract's order. */
function settingEntries(settings: Settings): Array<[string, SettingValue]> {
  return Object.entries(settings).flatMap(
    ([name, value]): Array<[string, SettingValue]> =>
      typeof value === 'object' && !Array.isArray(value)
        ? Object.entries(value).map(([key, item]) => [`${name}.${key}`, item as SettingValue])
        : [[name, value as SettingValue]],
  );
}

/** One `name  value` line per setting; lists as JSON so an empty one still shows. */
export function formatSettings(settings: Settings): string {
  const entries = settingEntries(settings);
  const width = Math.max(...entries.map(([name]) => name.length));
  const show = (value: SettingValue) => (Array.isArray(value) ? JSON.stringify(value) : String(value));
  return entries.map(([name, value]) => `${sanitize(`${name.padEnd(width)}  ${show(value)}`)}\n`).join('');
}

/** Prints the settings; `--json` prints the contract's Settings. */
export async function settingsCommand(api: DriftlessApi, options: { json?: boolean }, io: Io): Promise<void> {
  const settings = await api.getSettings({});
  io.stdout.write(options.json ? formatJson(settings) : formatSettings(settings));
}

/**
 * Changes one setting. The typed value is read as the kind the setting holds (a number, on/off, a
 * JSON list) and sent through the API's updateSettings, so the contract's schema refuses a bad one
 * with the same sentence the window shows (e.g. "The training time budget (minutes) must be at most 240.").
 */
export async function setSettingCommand(
  api: DriftlessApi,
  args: { name: string; value: string },
  io: Io,
): Promise<void> {
  const settings = await api.getSettings({});
  const entries = new Map(settingEntries(settings));
  const current = entries.get(args.name);
  if (current === undefined)
    throw new DriftlessError(
      'INVALID_ARGUMENT',
      `There is no setting "${args.name}"; the settings are: ${[...entries.keys()].join(', ')}.`,
    );
  const value = typedValue(args.name, current, args.value);
  const [group, key] = args.name.split('.') as [keyof Settings, string | undefined];
  // updateSettings takes whole groups: the group's other settings go back as they are.
  const patch =
    key === undefined ? { [group]: value } : { [group]: { ...(settings[group] as object), [key]: value } };
  const saved = await api.updateSettings({ settings: patch as Partial<Settings> });
  io.stdout.write(
    `${sanitize(`${args.name} is now ${String(new Map(settingEntries(saved)).get(args.name))}`)}.\n`,
  );
}

/** The typed text as the kind of value the setting holds; text the schema will refuse stays text. */
function typedValue(name: string, current: SettingValue, text: string): unknown {
  if (typeof current === 'number') return /^\s*-?\d+(\.\d+)?\s*$/.test(text) ? Number(text) : text;
  if (typeof current === 'boolean') {
    if (/^(on|true|yes)$/i.test(text)) return true;
    if (/^(off|false|no)$/i.test(text)) return false;
    return text;
  }
  if (Array.isArray(current)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new DriftlessError(
        'INVALID_ARGUMENT',
        `Give ${name} as a JSON list, e.g. '["drafts/**", "*.tmp"]'.`,
      );
    }
  }
  return text;
}

export function registerSettings(program: Command, context: CliContext): void {
  const { io } = context;
  const settings = program
    .command('settings')
    .description('show the settings, or change one with `settings set <name> <value>`')
    .option('--json', 'print Settings as JSON')
    .action((options: { json?: boolean }, command: Command) =>
      context.withApp(command, (session) => settingsCommand(session.api, options, io)),
    );
  settings
    .command('set')
    .description(
      'change one setting, e.g. `settings set adaptation.trainingMinutes 45` (training time budget)',
    )
    .argument('<name>', 'the setting, as `driftless settings` lists it')
    .argument('<value>', 'a number, on/off, text, or a JSON list')
    .action((name: string, value: string, _options: object, command: Command) =>
      context.withApp(command, (session) => setSettingCommand(session.api, { name, value }, io)),
    );
}
