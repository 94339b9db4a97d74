import { z } from 'zod';
import { readJsonFileOrSetAside, writeJsonAtomic } from '../base/index.ts';

/** Pinned notes rank first among a query's results; hidden notes never show, until shown again. */
export type MarkKind = 'pin' | 'hide';

export interface NoteMark {
  folderId: string;
  notePath: string;
  kind: MarkKind;
  atMs: number;
}

type NoteRef = { folderId: string; notePath: string };

/** What search needs of the marks: a yes or no per note, answered without I/O. */
export interface SearchMarks {
  isHidden(note: NoteRef): boolean;
  isPinned(note: NoteRef): boolean;
}

const fileSchema = z.object({
  marks: z.array(
    z.object({
      folderId: z.string(),
      notePath: z.string(),
      kind: z.enum(['pin', 'hide']),
      atMs: z.number(),
    }),
  ),
});

const keyOf = (note: NoteRef): string => `${note.folderId}\u001f${note.notePath}`;

/**
 * The user's pins and hides, one mark per note, in a JSON file of the data folder: they outlive the
 * window and the process, and search reads them from memory. Writes replace the file atomically, one
 * at a time, in the order they were asked for.
 */
export class NoteMarks implements SearchMarks {
  readonly #file: string;
  readonly #marks: Map<string, NoteMark>;
  #writing: Promise<void> = Promise.resolve();

  private constructor(file: string, marks: readonly NoteMark[]) {
    this.#file = file;
    this.#marks = new Map(marks.map((mark) => [keyOf(mark), mark]));
  }

  /** Reads the marks file; a missing one is no marks, a damaged one is set aside (and reported). */
  static async open(file: string): Promise<NoteMarks> {
    return new NoteMarks(file, (await readJsonFileOrSetAside(file, fileSchema))?.marks ?? []);
  }

  /** Every mark, newest first. */
  list(): NoteMark[] {
    return [...this.#marks.values()].sort((a, b) => b.atMs - a.atMs);
  }

  isHidden(note: NoteRef): boolean {
    return this.#marks.get(keyOf(note))?.kind === 'hide';
  }

  isPinned(note: NoteRef): boolean {
    return this.#marks.get(keyOf(note))?.kind === 'pin';
  }

  /** Pins or hides a note (a note has one mark: hiding a pinned note unpins it). */
  async set(mark: NoteMark): Promise<void> {
    this.#marks.set(keyOf(mark), { ...mark });
    await this.#save();
  }

  /** Removes a note's mark (undo, unpin, show again); the mark removed, if there was one. */
  async clear(note: NoteRef): Promise<NoteMark | undefined> {
    const mark = this.#marks.get(keyOf(note));
    if (!mark) return undefined;
    this.#marks.delete(keyOf(note));
    await this.#save();
    return mark;
  }

  #save(): Promise<void> {
    const snapshot = { marks: this.list() };
    // A failed earlier write was reported to its own caller; this one writes the newer list anyway.
    this.#writing = this.#writing.catch(() => undefined).then(() => writeJsonAtomic(this.#file, snapshot));
    return this.#writing;
  }
}
