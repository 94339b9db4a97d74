import path from 'node:path';
import type { FolderInfo, ImportReport, SearchHit, SearchResponse, StatusInfo } from '../service/index.ts';
import { showHiddenCharacters } from '../service/hiddenCharacters.ts';

const BOLD = '\u001b[1m';
const NORMAL = '\u001b[22m';

/**
 * Replaces control characters (including ESC) with spaces, one for one, so note text cannot drive the
 * terminal and highlight offsets stay valid.
 */
export function sanitize(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}

/** The snippet on one line, with highlighted ranges in bold when `ansi` is set. */
export function renderSnippet(snippet: string, highlights: Array<[number, number]>, ansi: boolean): string {
  const clean = sanitize(snippet);
  if (!ansi) return collapseSpaces(clean);
  let out = '';
  let at = 0;
  for (const [start, end] of [...highlights].sort((a, b) => a[0] - b[0])) {
    const from = Math.max(start, at);
    if (end <= from || from >= clean.length) continue;
    out += clean.slice(at, from) + BOLD + clean.slice(from, end) + NORMAL;
    at = end;
  }
  return collapseSpaces(out + clean.slice(at));
}

/** Escape sequences hold no spaces, so collapsing after highlighting keeps them intact. */
function collapseSpaces(text: string): string {
  return text.replace(/ {2,}/g, ' ').trim();
}

/** `title — folder/path › heading` for one hit; `folderNames` maps folder ids to display names. */
export function hitHeadline(hit: SearchHit, folderNames: ReadonlyMap<string, string>): string {
  const where = `${folderNames.get(hit.folderId) ?? hit.folderId}/${hit.notePath}`;
  const heading = hit.headingPath.length > 0 ? ` › ${hit.headingPath.join(' › ')}` : '';
  return sanitize(showHiddenCharacters(`${hit.title} — ${where}${heading}`));
}

/** Human search output: numbered headlines, each followed by its indented snippet. */
export function formatSearch(response: SearchResponse, folders: FolderInfo[], ansi: boolean): string {
  if (response.hits.length === 0) return 'No results.\n';
  const names = new Map(folders.map((folder) => [folder.id, path.basename(folder.root) || folder.root]));
  return response.hits
    .map((hit, index) => {
      const headline = `${index + 1}. ${hitHeadline(hit, names)}`;
      return `${ansi ? BOLD + headline + NORMAL : headline}\n   ${renderSnippet(hit.snippet, hit.highlights, ansi)}\n`;
    })
    .join('');
}

export function formatStatus(status: StatusInfo): string {
  const versions = Object.entries(status.rowsByVersion)
    .map(([version, rows]) => `${version} ${rows}`)
    .join(', ');
  const damage = status.indexDamaged;
  const lines = [
    // First, so a person looking at status after a failed search sees it before any count.
    ...(damage
      ? [
          ['DAMAGED', damage.problem],
          ['To fix', damage.hint],
        ]
      : []),
    ['Data folder', status.dataDir],
    ['Folders', String(status.folders)],
    ['Notes', `${status.notes} (${status.chunks} chunks)`],
    [
      'Encoder',
      `${status.encoder.backboneId}, ${status.encoder.dimensions} dimensions, ${status.encoder.runtime}`,
    ],
    ...(status.encoder.runtimeReason ? [['Inference', status.encoder.runtimeReason]] : []),
    ['Version', status.currentVersion],
    ['Index', `${formatBytes(status.indexBytes)}${versions ? `; rows by version: ${versions}` : ''}`],
    ...(status.trainingBackend ? [['Training', trainingLine(status)]] : []),
    ...(status.repairs ?? []).map((repair) => [
      'Repaired',
      `${repair.file}: ${repair.problem}${repair.movedTo ? ` (old copy: ${repair.movedTo})` : ''}`,
    ]),
    ...(status.versionProblems ?? []).map((problem) => [
      'Versions',
      `${problem.version}: ${problem.problem}`,
    ]),
  ];
  return lines.map(([label, value]) => `${`${label}:`.padEnd(13)}${value}\n`).join('');
}

/** "wasm (GPU: none found, training on WebAssembly, 1 thread)". */
function trainingLine(status: StatusInfo): string {
  const reason = status.trainingBackendReason;
  return reason ? `${status.trainingBackend} (${reason})` : (status.trainingBackend ?? '');
}

export function formatFolders(folders: FolderInfo[]): string {
  if (folders.length === 0) return 'No folders yet. Add one with `driftless add <folder>`.\n';
  return folders
    .map((folder) => {
      const synced = folder.lastSyncMs
        ? `synced ${new Date(folder.lastSyncMs).toISOString()}`
        : 'never synced';
      return `${folder.id}  ${sanitize(showHiddenCharacters(folder.root))}\n    ${folder.notes} notes, ${folder.chunks} chunks, ${folder.skipped} skipped, ${synced}\n`;
    })
    .join('');
}

export function formatReport(report: ImportReport, folder: FolderInfo): string {
  const finished = report.finishedMs
    ? `finished ${new Date(report.finishedMs).toISOString()}`
    : 'not finished';
  const counts = `added ${report.added}, updated ${report.updated}, removed ${report.removed}, unchanged ${report.unchanged}, renamed ${report.renamed}, skipped ${report.skipped.length}`;
  const skipped = report.skipped.map(
    (item) => sanitize(`  ${showHiddenCharacters(item.path)}: ${item.reason} (${item.message})`) + '\n',
  );
  return `Import of ${folder.root} (${folder.id}), ${finished}\n  ${counts}\n${skipped.length ? `Skipped:\n${skipped.join('')}` : ''}`;
}

/** Stable JSON for `--json`: exactly the contract's result type, two-space indented. */
export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return '?';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** `1h 02m`, `3m 05s`, `12s`; `?` when unknown. */
export function formatEta(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '?';
  const total = Math.max(0, Math.round(seconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  if (total >= 3600) return `${Math.floor(total / 3600)}h ${pad(Math.floor((total % 3600) / 60))}m`;
  if (total >= 60) return `${Math.floor(total / 60)}m ${pad(total % 60)}s`;
  return `${total}s`;
}
