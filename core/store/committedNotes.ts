import type { Table } from '@lancedb/lancedb';

/** The fields a chunk row needs to be checked against the committed notes. */
export interface RevisionedRow {
  note_key: unknown;
  revision: unknown;
}

/**
 * An in-memory copy of which revision of each note is committed (the `notes` table). Readers show
 * a chunk row only when its revision is the committed one, which makes a multi-step note write
 * atomic for them. The copy reloads when the notes table's version moves (another writer).
 */
export class CommittedNotes {
  #revisions = new Map<string, string>();
  #version = -1;

  constructor(private readonly table: Table) {}

  /** Reloads when the table changed since the last load, or always when `force`. */
  async refresh(force = false): Promise<void> {
    const version = await this.table.version();
    if (!force && version === this.#version) return;
    const rows = await this.table.query().select(['note_key', 'revision']).toArray();
    this.#revisions = new Map(rows.map((row: RevisionedRow) => [String(row.note_key), String(row.revision)]));
    this.#version = version;
  }

  isCommitted(row: RevisionedRow): boolean {
    return this.#revisions.get(String(row.note_key)) === String(row.revision);
  }

  revisionOf(key: string): string | undefined {
    return this.#revisions.get(key);
  }

  get size(): number {
    return this.#revisions.size;
  }
}
