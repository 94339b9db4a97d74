import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { DriftlessError } from '../base/index.ts';
import { noteFormat } from '../ingest/index.ts';
import { isInside, type FolderRegistry } from '../library/index.ts';
import type { NoteIndex } from '../store/index.ts';

/**
 * Resolves a (folder, note path) pair from an API caller to a real file inside that added folder.
 * Everything that reaches the file system from the API goes through here: `..`, absolute paths,
 * encoded tricks and symlinks that leave the folder are refused.
 */
export async function resolveNoteFile(
  folders: FolderRegistry,
  folderId: string,
  notePath: string,
): Promise<string> {
  const folder = folders.get(folderId);
  const segments = notePath.split('/');
  if (
    path.isAbsolute(notePath) ||
    // A separator on Windows; elsewhere an ordinary character of a name (`back\slash.md`).
    (path.sep === '\\' && notePath.includes('\\')) ||
    notePath.includes('\0') ||
    segments.some((s) => s === '..' || s === '.' || s === '')
  ) {
    throw new DriftlessError(
      'FORBIDDEN',
      `Refused note path outside its folder: ${JSON.stringify(notePath)}`,
    );
  }
  const candidate = path.join(folder.root, ...segments);
  let real: string;
  try {
    real = await fs.realpath(candidate);
  } catch {
    throw new DriftlessError('NOT_FOUND', `Note not found: ${notePath}`);
  }
  if (!isInside(real, folder.root))
    throw new DriftlessError('FORBIDDEN', `Refused a link that leaves the folder: ${notePath}`);
  return real;
}

/**
 * Resolves a note for the desktop to open or reveal. Opening hands the file to the system's default
 * application, and on macOS and Windows that runs programs, scripts and installers (and any folder
 * can be added, `/usr/bin` included). So only a note the index holds qualifies: one the scan took as
 * Markdown, text, Org or HTML; and the file it resolves to, symbolic links followed, must still be a
 * regular file with a note's extension (not a directory, socket, executable or `.git/…` file).
 */
export async function resolveOpenableNote(
  folders: FolderRegistry,
  index: Pick<NoteIndex, 'getNote'>,
  folderId: string,
  notePath: string,
): Promise<string> {
  const file = await resolveNoteFile(folders, folderId, notePath);
  if (!(await index.getNote({ folderId, notePath })))
    throw new DriftlessError('NOT_FOUND', `Not an indexed note: ${notePath}`);
  const stat = await fs.stat(file);
  if (!stat.isFile() || noteFormat(file) === undefined)
    throw new DriftlessError('FORBIDDEN', `Refused to open a file that is not a note: ${notePath}`);
  return file;
}

/**
 * Opens files with the desktop's default application. The CLI's web mode and Electron's utility
 * process (electron/worker.ts) both use `systemOpener`; an embedder may pass its own.
 */
export interface DesktopOpener {
  /** What opens the files, for the window to say where a note went (e.g. "xdg-open"). */
  readonly name?: string;
  /** Resolves to whether the desktop accepted the file (not whether a window appeared). */
  open(filePath: string): Promise<boolean>;
  reveal(filePath: string): Promise<boolean>;
}

export const systemOpener: DesktopOpener = {
  name: openCommand('')[0],
  open: (filePath) => launch(openCommand(filePath)),
  reveal: (filePath) => launch(revealCommand(filePath)),
};

function openCommand(filePath: string): string[] {
  if (process.platform === 'darwin') return ['open', filePath];
  if (process.platform === 'win32') return ['explorer', filePath];
  return ['xdg-open', filePath];
}

function revealCommand(filePath: string): string[] {
  if (process.platform === 'darwin') return ['open', '-R', filePath];
  if (process.platform === 'win32') return ['explorer', `/select,${filePath}`];
  return ['xdg-open', path.dirname(filePath)];
}

function launch([command, ...args]: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(command!, args, { detached: true, stdio: 'ignore' });
    child.once('error', () => resolve(false));
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
}
