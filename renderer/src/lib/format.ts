const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A date such as "3 Mar 2026"; empty when unknown (0 marks the bundled, undated encoder). */
export function formatDate(ms: number | undefined): string {
  return ms ? dateFormat.format(ms) : '';
}

export function formatDateTime(ms: number | undefined): string {
  return ms ? dateTimeFormat.format(ms) : '';
}

/** "about 3 min left"; empty when the job cannot estimate yet. */
export function formatEta(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '';
  if (seconds < 60) return `about ${Math.max(1, Math.round(seconds))} s left`;
  if (seconds < 3600) return `about ${Math.round(seconds / 60)} min left`;
  return `about ${(seconds / 3600).toFixed(1)} h left`;
}

/** The folder's last path component, for compact result rows. */
export function folderName(root: string): string {
  const parts = root.split(/[\\/]/).filter(Boolean);
  return parts.at(-1) ?? root;
}

/** The key the contract uses for a note in feedback `shown` lists. */
export function noteKey(hit: { folderId: string; notePath: string }): string {
  return `${hit.folderId}/${hit.notePath}`;
}

/** "12 results", "1 result", "No results"; "30+ results" when the list stops at its limit. */
export function resultCount(shown: number, capped: boolean): string {
  if (capped) return `${shown}+ results`;
  if (shown === 0) return 'No results';
  return `${shown} ${shown === 1 ? 'result' : 'results'}`;
}

/**
 * What a folder's import is doing, in its row: the notes read so far of those to read, how many
 * files the scan has found, or why it waits (for whom: the job's detail names the process holding
 * the data folder's writer lock, its command, job and since when).
 */
export function describeImport(job: {
  state: string;
  phase?: string;
  detail?: string;
  done: number;
  total?: number;
  etaSeconds?: number;
}): string {
  if (job.state === 'queued') return 'Import queued';
  const prefix = job.state === 'paused' ? 'Import paused' : 'Importing';
  if (job.phase === 'waiting')
    return `${prefix}: waiting for ${job.detail || 'another Driftless process'} to finish writing`;
  if (job.phase === 'scan' || job.total === undefined)
    return `${prefix}: looking for notes, ${job.done} ${job.done === 1 ? 'file' : 'files'} found`;
  const eta = job.state === 'running' ? formatEta(job.etaSeconds) : '';
  return `${prefix}: ${job.done} of ${job.total} notes read${eta ? `, ${eta}` : ''}`;
}
