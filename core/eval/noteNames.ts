import { DriftlessError, sha256 } from '../base/index.ts';

const UNSAFE = /[^A-Za-z0-9._-]/g;
const MAX_STEM = 100;
// Names Windows refuses as files whatever the extension.
const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

/**
 * Gives each doc id a file name `<safe id>.md` that is valid on every platform and unique even on
 * case-insensitive file systems. An id made only of `[A-Za-z0-9._-]` (not starting with a dot) keeps
 * its spelling; any other id, a too-long one, or one whose name would clash case-insensitively with an
 * earlier one gets `~` plus 10 hex digits of sha256(id) appended. `~` never survives sanitising, so a
 * suffixed name cannot clash with a plain one. Names depend on the order ids are seen, which is the
 * corpus order, so the same corpus always gets the same names.
 */
export class NoteNamer {
  readonly #usedLower = new Set<string>();
  readonly #ids = new Set<string>();

  /** The note name for the next doc id; throws INVALID_ARGUMENT for an id seen before. */
  nameFor(id: string): string {
    if (this.#ids.has(id)) throw new DriftlessError('INVALID_ARGUMENT', `Duplicate doc id '${id}'`, { id });
    this.#ids.add(id);
    const stem = sanitize(id);
    const plain = stem === id && !RESERVED.test(stem) ? `${stem}.md` : undefined;
    const name =
      plain && !this.#usedLower.has(plain.toLowerCase()) ? plain : `${stem}~${sha256(id).slice(0, 10)}.md`;
    const lower = name.toLowerCase();
    if (this.#usedLower.has(lower)) {
      throw new DriftlessError(
        'INVALID_ARGUMENT',
        `Two documents map to the note name '${name}' (id '${id}')`,
        { id },
      );
    }
    this.#usedLower.add(lower);
    return name;
  }
}

function sanitize(id: string): string {
  return id.replace(UNSAFE, '_').replace(/^\./, '_').slice(0, MAX_STEM);
}
