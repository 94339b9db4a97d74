import { searchKeyAction, type SearchKeyAction } from '../lib/searchKeys.ts';
import type { SearchState } from './search.svelte.ts';

/**
 * Carries out a key's action on the active result. Returns false when Esc had nothing left to
 * clear or close, so the caller can blur the box (and hide the window in Electron).
 */
export function applySearchKey(search: SearchState, action: SearchKeyAction): boolean {
  const hit = search.active;
  switch (action) {
    case 'next':
    case 'previous':
      search.move(action === 'next' ? 1 : -1);
      return true;
    case 'open':
      void search.open();
      return true;
    case 'open-in-editor':
      if (hit) void search.openExternally(hit);
      return true;
    case 'escape':
      return search.escape();
    default:
      if (!hit) return true;
      void search.feedback(hit, FEEDBACK_OF[action]);
      // A pin moves the note to the top and the selection goes with it; a hide leaves the next one active.
      search.select(hit);
      return true;
  }
}

const FEEDBACK_OF = { 'thumbs-up': 'up', 'thumbs-down': 'down', pin: 'pin', hide: 'hide' } as const;

/**
 * The keydown handler of the search box and the result list. Esc with nothing left to clear or
 * close blurs the focused element and calls `onidle` (Electron hides the window).
 */
export function searchKeydown(search: SearchState, onidle: () => void): (event: KeyboardEvent) => void {
  return (event) => {
    const action = searchKeyAction(event);
    if (!action) return;
    event.preventDefault();
    if (applySearchKey(search, action)) return;
    if (event.currentTarget instanceof HTMLElement) event.currentTarget.blur();
    onidle();
  };
}
