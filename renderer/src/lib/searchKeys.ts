import { DEFAULT_SETTINGS } from '../contract.ts';

/** What a key does in the search window. */
export type SearchKeyAction =
  | 'next'
  | 'previous'
  | 'open'
  | 'open-in-editor'
  | 'thumbs-up'
  | 'thumbs-down'
  | 'pin'
  | 'hide'
  | 'escape';

/** The parts of a KeyboardEvent the key map reads (a plain object in unit tests). */
export interface KeyPress {
  key: string;
  /** The physical key: Alt+P types "π" on a Mac keyboard, but its code is still KeyP. */
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

/**
 * The keys, as the window's help and the README list them. `shortcut` is the settings' shortcut
 * (an Electron accelerator): the desktop app shows its window with it from any other app, and the
 * window, in either mode, takes it as a way to the search box while it has the focus.
 */
export const searchKeyHelp = (
  shortcut: string = DEFAULT_SETTINGS.shortcut,
): ReadonlyArray<{ keys: string; does: string }> => [
  { keys: '/ or Ctrl+K', does: 'search from anywhere in the window' },
  {
    keys: shortcutLabel(readShortcut(shortcut) ? shortcut : DEFAULT_SETTINGS.shortcut),
    does: 'the same; from any other app only in the desktop app',
  },
  { keys: 'Alt+1…5 (or Ctrl+1…5 in the app)', does: 'Search, Folders, Jobs, Versions, Settings' },
  { keys: '↑ ↓', does: 'move through the results' },
  { keys: 'Enter', does: 'preview the result' },
  { keys: 'Ctrl+Enter', does: 'open it in your editor' },
  { keys: 'Alt+↑ / Alt+↓', does: 'good / poor result' },
  { keys: 'Alt+P / Alt+H', does: 'pin / hide the note' },
  { keys: 'Esc', does: 'clear the box, then close the preview' },
];

/** One line of help for a tooltip. */
export const searchKeyHelpLine = (shortcut?: string): string =>
  searchKeyHelp(shortcut)
    .map(({ keys, does }) => `${keys}: ${does}`)
    .join(' · ');

const command = (press: KeyPress): boolean => press.ctrlKey || press.metaKey;

/**
 * The action of a key pressed in the search box or the result list. Feedback keys carry Alt so
 * that none of them can be typed into the box by accident.
 */
export function searchKeyAction(press: KeyPress): SearchKeyAction | undefined {
  if (press.altKey && !command(press)) return altAction(press);
  if (press.altKey || press.shiftKey) return undefined;
  if (press.key === 'ArrowDown' && !command(press)) return 'next';
  if (press.key === 'ArrowUp' && !command(press)) return 'previous';
  if (press.key === 'Enter') return command(press) ? 'open-in-editor' : 'open';
  if (press.key === 'Escape' && !command(press)) return 'escape';
  return undefined;
}

function altAction(press: KeyPress): SearchKeyAction | undefined {
  if (press.shiftKey) return undefined;
  if (press.key === 'ArrowUp') return 'thumbs-up';
  if (press.key === 'ArrowDown') return 'thumbs-down';
  if (press.code === 'KeyP') return 'pin';
  if (press.code === 'KeyH') return 'hide';
  return undefined;
}

/**
 * Whether a key pressed anywhere in the window moves focus to the search box: Ctrl+K (Cmd+K) and
 * the settings' shortcut (the desktop app's OS-wide one; a browser page only sees it while it has
 * the focus) always, "/" only when it would not be typed into another field.
 */
export function focusesSearch(
  press: KeyPress,
  inTextField: boolean,
  shortcut: string = DEFAULT_SETTINGS.shortcut,
): boolean {
  if (command(press) && !press.altKey && !press.shiftKey && press.key.toLowerCase() === 'k') return true;
  if (isShortcut(press, shortcut)) return true;
  return press.key === '/' && !inTextField && !command(press) && !press.altKey;
}

/** An accelerator's modifiers and the physical key (KeyboardEvent.code) it names. */
interface Shortcut {
  /** CommandOrControl: Ctrl or Cmd, as Ctrl+K is read. */
  command: boolean;
  ctrl: boolean;
  meta: boolean;
  alt: boolean;
  shift: boolean;
  code: string;
}

const MODIFIERS: Record<string, keyof Omit<Shortcut, 'code'>> = {
  commandorcontrol: 'command',
  cmdorctrl: 'command',
  command: 'meta',
  cmd: 'meta',
  super: 'meta',
  meta: 'meta',
  control: 'ctrl',
  ctrl: 'ctrl',
  alt: 'alt',
  option: 'alt',
  shift: 'shift',
};

const NAMED_CODES: Record<string, string> = {
  space: 'Space',
  tab: 'Tab',
  enter: 'Enter',
  return: 'Enter',
  esc: 'Escape',
  escape: 'Escape',
  backspace: 'Backspace',
  delete: 'Delete',
  insert: 'Insert',
  home: 'Home',
  end: 'End',
  pageup: 'PageUp',
  pagedown: 'PageDown',
  up: 'ArrowUp',
  down: 'ArrowDown',
  left: 'ArrowLeft',
  right: 'ArrowRight',
};

/**
 * Reads an Electron accelerator ('CommandOrControl+Shift+Space', 'Alt+F1', 'Ctrl+J'); undefined for
 * one it cannot read, which the desktop app also replaces by the default.
 */
function readShortcut(accelerator: string): Shortcut | undefined {
  const parts = accelerator.split('+').map((part) => part.trim().toLowerCase());
  const key = parts.pop() ?? '';
  const shortcut: Shortcut = { command: false, ctrl: false, meta: false, alt: false, shift: false, code: '' };
  for (const part of parts) {
    const modifier = MODIFIERS[part];
    if (!modifier) return undefined;
    shortcut[modifier] = true;
  }
  if (/^[a-z]$/.test(key)) shortcut.code = `Key${key.toUpperCase()}`;
  else if (/^[0-9]$/.test(key)) shortcut.code = `Digit${key}`;
  else if (/^f([1-9]|1[0-9]|2[0-4])$/.test(key)) shortcut.code = key.toUpperCase();
  else shortcut.code = NAMED_CODES[key] ?? '';
  return shortcut.code ? shortcut : undefined;
}

/** Whether a key press is the settings' shortcut (its default where that cannot be read). */
function isShortcut(press: KeyPress, accelerator: string): boolean {
  const shortcut = readShortcut(accelerator) ?? readShortcut(DEFAULT_SETTINGS.shortcut);
  if (!shortcut || press.code !== shortcut.code) return false;
  const ctrlAndMeta = shortcut.command
    ? command(press) && press.ctrlKey !== press.metaKey
    : press.ctrlKey === shortcut.ctrl && press.metaKey === shortcut.meta;
  return ctrlAndMeta && press.altKey === shortcut.alt && press.shiftKey === shortcut.shift;
}

/** An accelerator as the help shows keys: 'CommandOrControl+Shift+Space' is 'Ctrl+Shift+Space'. */
function shortcutLabel(accelerator: string): string {
  return accelerator
    .split('+')
    .map((part) => part.trim())
    .map((part) => (/^(commandorcontrol|cmdorctrl|control)$/i.test(part) ? 'Ctrl' : part))
    .join('+');
}

/**
 * The view (0 = Search … 4 = Settings) a key switches to: Ctrl+1…5, which browsers keep for their
 * own tabs, so also Alt+1…5, which works in web mode. By physical key: Alt+1 types "¡" on a Mac.
 */
export function viewIndex(press: KeyPress): number | undefined {
  if (press.shiftKey || press.metaKey || press.ctrlKey === press.altKey) return undefined;
  const digit = /^Digit([1-5])$/.exec(press.code)?.[1];
  return digit === undefined ? undefined : Number(digit) - 1;
}
