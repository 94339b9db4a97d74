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

/** The keys, as the window's help and the README list them. */
export const SEARCH_KEY_HELP: ReadonlyArray<{ keys: string; does: string }> = [
  { keys: '/ or Ctrl+K', does: 'search from anywhere' },
  { keys: 'Alt+1…5 (or Ctrl+1…5 in the app)', does: 'Search, Folders, Jobs, Versions, Settings' },
  { keys: '↑ ↓', does: 'move through the results' },
  { keys: 'Enter', does: 'preview the result' },
  { keys: 'Ctrl+Enter', does: 'open it in your editor' },
  { keys: 'Alt+↑ / Alt+↓', does: 'good / poor result' },
  { keys: 'Alt+P / Alt+H', does: 'pin / hide the note' },
  { keys: 'Esc', does: 'clear the box, then close the preview' },
];

/** One line of help for a tooltip. */
export const searchKeyHelpLine = (): string =>
  SEARCH_KEY_HELP.map(({ keys, does }) => `${keys}: ${does}`).join(' · ');

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
 * Whether a key pressed anywhere in the window moves focus to the search box: Ctrl+K (Cmd+K)
 * always, "/" only when it would not be typed into another field.
 */
export function focusesSearch(press: KeyPress, inTextField: boolean): boolean {
  if (command(press) && !press.altKey && !press.shiftKey && press.key.toLowerCase() === 'k') return true;
  return press.key === '/' && !inTextField && !command(press) && !press.altKey;
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
