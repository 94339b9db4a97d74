import { sha256 } from '../base/index.ts';
import type { Encoder } from '../encoder/types.ts';
import { chunkRowId } from '../store/index.ts';
import type { ChunkRecord, NoteFormat, NoteWrite } from '../store/index.ts';

export interface NoteSpec {
  folderId?: string;
  notePath: string;
  title?: string;
  /** One chunk per section. */
  sections: Array<string | { heading: string[]; text: string }>;
  tags?: string[];
  modifiedMs?: number;
  format?: NoteFormat;
}

/** A NoteWrite for tests: one chunk per section, embedded by `encoder` (title prepended, like ingest). */
export async function makeNoteWrite(encoder: Encoder, spec: NoteSpec): Promise<NoteWrite> {
  const key = { folderId: spec.folderId ?? 'f1', notePath: spec.notePath };
  const title = spec.title ?? spec.notePath.replace(/\.[^.]+$/, '');
  const sections = spec.sections.map((section) =>
    typeof section === 'string' ? { heading: [], text: section } : section,
  );
  const noteHash = sha256(JSON.stringify([title, sections, spec.tags ?? []]));
  const vectors = await encoder.embedDocuments(sections.map((section) => `${title}\n${section.text}`));
  let offset = 0;
  const chunks = sections.map((section, ordinal): ChunkRecord => {
    const start = offset;
    offset += section.text.length + 1;
    return {
      id: chunkRowId(key, ordinal),
      chunkId: sha256(JSON.stringify([section.heading, section.text])),
      ...key,
      title,
      headingPath: section.heading,
      text: section.text,
      tags: spec.tags ?? [],
      start,
      end: start + section.text.length,
      modifiedMs: spec.modifiedMs ?? 1_700_000_000_000,
      noteHash,
      encoderVersion: encoder.version,
      vector: vectors[ordinal] ?? new Float32Array(encoder.dimensions),
    };
  });
  return {
    ...key,
    noteHash,
    title,
    modifiedMs: spec.modifiedMs ?? 1_700_000_000_000,
    format: spec.format ?? 'markdown',
    chunks,
  };
}

/** Many NoteWrites at once. */
export function makeNoteWrites(encoder: Encoder, specs: readonly NoteSpec[]): Promise<NoteWrite[]> {
  return Promise.all(specs.map((spec) => makeNoteWrite(encoder, spec)));
}
