/** How a view is doing with its data; views render one message per state. */
export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

const FRIENDLY: Record<string, string> = {
  OFFLINE: 'Driftless is not running or cannot be reached.',
  UNAUTHORIZED: 'This window is not signed in to Driftless. Open the link printed by `driftless serve`.',
  FORBIDDEN: 'Driftless refused this request.',
  LOCKED: 'Another Driftless process is writing to this data folder.',
  NOT_FOUND: 'That item no longer exists.',
  INDEX_DAMAGED: 'The search index is damaged; Repair the index, above, rebuilds it from your notes.',
};

/** A sentence a newcomer understands, from an error that crossed the API (branching on its code). */
export function describeError(error: unknown): string {
  const code = typeof error === 'object' && error && 'code' in error ? String(error.code) : undefined;
  const message = error instanceof Error ? error.message : String(error);
  const friendly = code ? FRIENDLY[code] : undefined;
  return friendly ? `${friendly} (${message})` : message;
}
