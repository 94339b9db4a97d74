import path from 'node:path';
import { readJsonFileOrSetAside, writeJsonAtomic } from '../base/index.ts';
import { noteDateOfSource, readNoteFile } from '../ingest/index.ts';
import type { FolderRecord, NoteIndex } from '../store/index.ts';
import { z } from 'zod';

const markerSchema = z.object({ noteDates: z.literal(1) });

/**
 * Once per data folder: notes indexed before notes had their own dates carry their file's mtime.
 * Each such note whose front matter or file name gives a date gets it (its chunks' date is set in
 * place, nothing is re-embedded); the marker file records that it is done. Run by the writer.
 * Returns how many notes got a date.
 */
export async function upgradeNoteDates(
  markerFile: string,
  folders: readonly FolderRecord[],
  index: NoteIndex,
  maxFileBytes: number,
): Promise<number> {
  if (await readJsonFileOrSetAside(markerFile, markerSchema)) return 0;
  let dated = 0;
  for (const folder of folders) {
    for (const note of await index.listNotes(folder.id)) {
      const read = await readNoteFile(path.join(folder.root, note.notePath), { maxBytes: maxFileBytes });
      // The indexed mtime stands in for the file's: a changed file is re-imported with its date anyway.
      const dateMs = read.ok
        ? await noteDateOfSource(note.notePath, read.content, note.modifiedMs)
        : note.modifiedMs;
      if (dateMs === note.modifiedMs) continue;
      await index.setNoteDate(note, dateMs);
      dated++;
    }
  }
  await writeJsonAtomic(markerFile, { noteDates: 1 });
  return dated;
}
