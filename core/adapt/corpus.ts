import type { NoteIndex, StoredChunk } from '../store/index.ts';
import type { NoteDocument } from './signals/index.ts';

/**
 * Every committed note of the index as title plus ordered sections, with the version of its rows.
 * Read a batch of rows at a time, so the thread that serves search gets turns in between.
 */
export async function readCorpus(index: NoteIndex): Promise<NoteDocument[]> {
  const notes = new NoteGrouper();
  for await (const chunks of index.chunkBatches()) notes.add(chunks);
  return notes.documents();
}

export function groupNotes(chunks: readonly StoredChunk[]): NoteDocument[] {
  const notes = new NoteGrouper();
  notes.add(chunks);
  return notes.documents();
}

/** Chunks gathered per note; sections are ordered by their start in the note once all are in. */
class NoteGrouper {
  readonly #notes = new Map<string, { doc: NoteDocument; starts: number[] }>();

  add(chunks: readonly StoredChunk[]): void {
    for (const chunk of chunks) {
      const key = `${chunk.folderId}\u001f${chunk.notePath}`;
      let entry = this.#notes.get(key);
      if (!entry) {
        const { folderId, notePath, title, encoderVersion } = chunk;
        entry = { doc: { folderId, notePath, title, sections: [], encoderVersion }, starts: [] };
        this.#notes.set(key, entry);
      }
      entry.doc.sections.push({ chunkId: chunk.chunkId, headingPath: chunk.headingPath, text: chunk.text });
      entry.starts.push(chunk.start);
    }
  }

  documents(): NoteDocument[] {
    // One collator, not localeCompare per comparison (which looks the locale up each time): the
    // same order, at a fraction of the cost for tens of thousands of notes.
    const collator = new Intl.Collator();
    return [...this.#notes.values()]
      .map(({ doc, starts }) => ({ ...doc, sections: inStartOrder(doc.sections, starts) }))
      .sort((a, b) => collator.compare(a.folderId + a.notePath, b.folderId + b.notePath));
  }
}

/** Sections sorted by start (stable: equal starts keep the order they were read in). */
function inStartOrder<T>(sections: readonly T[], starts: readonly number[]): T[] {
  const order = sections.map((_, i) => i);
  order.sort((a, b) => starts[a]! - starts[b]!);
  return order.map((i) => sections[i]!);
}
