import type { NoteIndex, StoredChunk } from '../store/index.ts';
import type { NoteDocument } from './signals/index.ts';

/** Upper bound on rows read at once; adaptation looks at a notes collection, not a web crawl. */
const MAX_ROWS = 1_000_000;

/** Every committed note of the index as title plus ordered sections, with the version of its rows. */
export async function readCorpus(index: NoteIndex): Promise<NoteDocument[]> {
  const chunks = await index.filterSearch({ k: MAX_ROWS });
  return groupNotes(chunks);
}

export function groupNotes(chunks: readonly StoredChunk[]): NoteDocument[] {
  const notes = new Map<string, { doc: NoteDocument }>();
  for (const chunk of [...chunks].sort((a, b) => a.start - b.start)) {
    const key = `${chunk.folderId}\u001f${chunk.notePath}`;
    const entry = notes.get(key) ?? {
      doc: {
        folderId: chunk.folderId,
        notePath: chunk.notePath,
        title: chunk.title,
        sections: [],
        encoderVersion: chunk.encoderVersion,
      },
    };
    entry.doc.sections.push({ chunkId: chunk.chunkId, headingPath: chunk.headingPath, text: chunk.text });
    notes.set(key, entry);
  }
  return [...notes.values()]
    .map((entry) => entry.doc)
    .sort((a, b) => (a.folderId + a.notePath).localeCompare(b.folderId + b.notePath));
}
