import { describe, expect, it } from 'vitest';
import { focusesSearch, searchKeyAction, searchKeyHelpLine, viewIndex, type KeyPress } from './searchKeys.ts';

const press = (key: string, extra: Partial<KeyPress> = {}): KeyPress => ({
  key,
  code: key.length === 1 ? `Key${key.toUpperCase()}` : key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...extra,
});

describe('searchKeyAction', () => {
  it('moves, opens and escapes with plain keys', () => {
    expect(searchKeyAction(press('ArrowDown'))).toBe('next');
    expect(searchKeyAction(press('ArrowUp'))).toBe('previous');
    expect(searchKeyAction(press('Enter'))).toBe('open');
    expect(searchKeyAction(press('Escape'))).toBe('escape');
  });

  it('opens in the editor with Ctrl+Enter or Cmd+Enter', () => {
    expect(searchKeyAction(press('Enter', { ctrlKey: true }))).toBe('open-in-editor');
    expect(searchKeyAction(press('Enter', { metaKey: true }))).toBe('open-in-editor');
  });

  it('gives feedback only with Alt, by physical key', () => {
    expect(searchKeyAction(press('ArrowUp', { altKey: true }))).toBe('thumbs-up');
    expect(searchKeyAction(press('ArrowDown', { altKey: true }))).toBe('thumbs-down');
    expect(searchKeyAction(press('π', { altKey: true, code: 'KeyP' }))).toBe('pin');
    expect(searchKeyAction(press('h', { altKey: true }))).toBe('hide');
  });

  it('leaves typing alone', () => {
    for (const key of ['p', 'h', 'P', '/', ' ', 'Backspace'])
      expect(searchKeyAction(press(key))).toBeUndefined();
    expect(searchKeyAction(press('P', { shiftKey: true }))).toBeUndefined();
    expect(searchKeyAction(press('Enter', { shiftKey: true }))).toBeUndefined();
    expect(searchKeyAction(press('ArrowDown', { altKey: true, ctrlKey: true }))).toBeUndefined();
  });
});

describe('focusesSearch', () => {
  it('takes Ctrl+K and Cmd+K everywhere', () => {
    expect(focusesSearch(press('k', { ctrlKey: true }), true)).toBe(true);
    expect(focusesSearch(press('K', { metaKey: true }), false)).toBe(true);
    expect(focusesSearch(press('k'), false)).toBe(false);
  });

  it('takes "/" only outside text fields', () => {
    expect(focusesSearch(press('/'), false)).toBe(true);
    expect(focusesSearch(press('/'), true)).toBe(false);
  });
});

describe("the settings' shortcut", () => {
  const space = (extra: Partial<KeyPress>) => press(' ', { code: 'Space', ...extra });

  it("takes the desktop app's default, Ctrl+Shift+Space (Cmd+Shift+Space), even in a text field", () => {
    expect(focusesSearch(space({ ctrlKey: true, shiftKey: true }), true)).toBe(true);
    expect(focusesSearch(space({ metaKey: true, shiftKey: true }), false)).toBe(true);
    expect(focusesSearch(space({ ctrlKey: true }), false)).toBe(false);
    expect(focusesSearch(space({ shiftKey: true }), true)).toBe(false);
    expect(focusesSearch(space({ ctrlKey: true, shiftKey: true, altKey: true }), false)).toBe(false);
  });

  it('follows the setting, by physical key, and falls back to the default where it cannot be read', () => {
    // Alt+Shift+J types "Ô" on a Mac keyboard; the key is still KeyJ.
    const altShiftJ = press('Ô', { code: 'KeyJ', altKey: true, shiftKey: true });
    expect(focusesSearch(altShiftJ, true, 'Alt+Shift+J')).toBe(true);
    expect(focusesSearch(altShiftJ, true, 'Control+J')).toBe(false);
    expect(focusesSearch(press('F9', { code: 'F9' }), false, 'F9')).toBe(true);
    expect(focusesSearch(space({ ctrlKey: true, shiftKey: true }), false, 'Alt+Shift+J')).toBe(false);
    expect(focusesSearch(space({ ctrlKey: true, shiftKey: true }), false, 'Hyper+Nothing')).toBe(true);
  });

  it('is in the help, with what it does in the browser and in the desktop app', () => {
    expect(searchKeyHelpLine()).toContain(
      'Ctrl+Shift+Space: the same; from any other app only in the desktop app',
    );
    expect(searchKeyHelpLine('Alt+Shift+J')).toContain('Alt+Shift+J: the same');
    expect(searchKeyHelpLine('Hyper+Nothing')).toContain('Ctrl+Shift+Space: the same');
  });
});

describe('viewIndex', () => {
  it('switches views with Ctrl or Alt and a digit key from 1 to 5', () => {
    expect(viewIndex(press('1', { code: 'Digit1', ctrlKey: true }))).toBe(0);
    expect(viewIndex(press('¡', { code: 'Digit1', altKey: true }))).toBe(0);
    expect(viewIndex(press('5', { code: 'Digit5', altKey: true }))).toBe(4);
  });

  it('leaves other digits and plain typing alone', () => {
    expect(viewIndex(press('6', { code: 'Digit6', altKey: true }))).toBeUndefined();
    expect(viewIndex(press('1', { code: 'Digit1' }))).toBeUndefined();
    expect(viewIndex(press('1', { code: 'Digit1', altKey: true, ctrlKey: true }))).toBeUndefined();
  });
});
