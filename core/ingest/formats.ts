import path from 'node:path';
import type { NoteFormat } from './types.ts';

const FORMAT_BY_EXTENSION: Readonly<Record<string, NoteFormat>> = {
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.txt': 'text',
  '.org': 'org',
  '.html': 'html',
  '.htm': 'html',
};

/** The note format of a path by its extension (case-insensitive), or undefined when Driftless does not read it. */
export function noteFormat(filePath: string): NoteFormat | undefined {
  return FORMAT_BY_EXTENSION[path.extname(filePath).toLowerCase()];
}

/** The file name without its extension: the title of last resort. */
export function titleFromPath(filePath: string): string {
  const base = path.posix.basename(filePath.replaceAll('\\', '/'));
  const ext = path.extname(base);
  return ext && ext !== base ? base.slice(0, -ext.length) : base;
}
