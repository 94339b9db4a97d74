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

  /**
   * Runs this writer's own change of the notes table (`write`) and updates the copy in place from
   * what it wrote (`set`: key -> new revision, `remove`: keys), instead of reading every note back
   * after each commit. `commits` is how many table versions `write` makes; when the table moved
   * otherwise (another writer, before or during the write: a commit lands on the newest version),
   * it reloads.
   */
  async applyOwnWrite(
    write: () => Promise<void>,
    changes: { set?: ReadonlyArray<readonly [string, string]>; remove?: readonly string[] },
    commits = 1,
  ): Promise<void> {
    const before = await this.table.version();
    await write();
    const after = await this.table.version();
    if (before !== this.#version || after !== before + commits) return this.refresh(true);
    const revisions = new Map(this.#revisions);
    for (const [key, revision] of changes.set ?? []) revisions.set(key, revision);
    for (const key of changes.remove ?? []) revisions.delete(key);
    this.#revisions = revisions;
    this.#version = after;
  }

  isCommitted(row: RevisionedRow): boolean {
    return this.#revisions.get(String(row.note_key)) === String(row.revision);
  }

  revisionOf(key: string): string | undefined {
    return this.#revisions.get(key);
  }

  /** The keys of the committed notes, in the order they were loaded or committed. */
  keys(): string[] {
    return [...this.#revisions.keys()];
  }

  get size(): number {
    return this.#revisions.size;
  }
}
