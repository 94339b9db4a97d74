import fs from 'node:fs/promises';
import path from 'node:path';
import { NoteIndex } from '../../store/index.ts';

export interface NoteSnapshot {
  path: string;
  hash: string;
  /** Chunks the notes table says the note has. */
  chunks: number;
  /** Chunk ids a search can see for the note, sorted. */
  visible: string[];
  versions: string[];
}

/**
 * What a reader of the data folder sees: every committed note with the chunks a search returns
 * for it, plus how many chunk rows the table holds in all, after the repair that the app's startup
 * job runs under the writer lock (no other process writes here, so it repairs on open).
 */
export async function indexSnapshot(
  dataDir: string,
  dimensions = 512,
  indexDir = path.join(dataDir, 'index'),
): Promise<{ notes: NoteSnapshot[]; rows: number }> {
  const index = await NoteIndex.open(indexDir, { dimensions, repairOnOpen: true });
  try {
    const folderId = (await readFolderIds(dataDir))[0] ?? '';
    const notes = await index.listNotes(folderId);
    const chunks = await index.filterSearch({ k: 1_000_000 });
    const visible = new Map<string, Array<{ id: string; version: string }>>();
    for (const chunk of chunks) {
      const list = visible.get(chunk.notePath) ?? [];
      list.push({ id: chunk.id, version: chunk.encoderVersion });
      visible.set(chunk.notePath, list);
    }
    const snapshot = notes
      .map((note) => ({
        path: note.notePath,
        hash: note.noteHash,
        chunks: note.chunkCount,
        visible: (visible.get(note.notePath) ?? []).map((c) => c.id).sort(),
        versions: [...new Set((visible.get(note.notePath) ?? []).map((c) => c.version))],
      }))
      .sort((a, b) => a.path.localeCompare(b.path));
    return { notes: snapshot, rows: (await index.stats()).chunks };
  } finally {
    await index.close();
  }
}

/** The ids in the folder list; none when a crash came before the list was first written. */
async function readFolderIds(dataDir: string): Promise<string[]> {
  try {
    const registry = JSON.parse(await fs.readFile(path.join(dataDir, 'folders.json'), 'utf8')) as {
      folders: Array<{ id: string }>;
    };
    return registry.folders.map((folder) => folder.id);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
