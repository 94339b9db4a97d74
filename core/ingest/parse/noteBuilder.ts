import path from 'node:path';
import type { NoteSection } from '../types.ts';

const BLOCK_SEPARATOR = '\n\n';

/**
 * Accumulates a note's plain text block by block and records where each section starts, so every
 * parser produces offsets that index exactly into the final text.
 */
export class NoteBuilder {
  #text = '';
  readonly #sections: NoteSection[] = [];
  readonly #headingStack: Array<{ level: number; title: string }> = [];

  /** Appends one block (paragraph, code, list item, ...) of plain text; blank blocks are dropped. */
  addBlock(block: string): void {
    const trimmed = block.trim();
    if (!trimmed) return;
    if (this.#sections.length === 0) this.#sections.push({ headingPath: [], start: 0, end: 0 });
    if (this.#text) this.#text += BLOCK_SEPARATOR;
    this.#text += trimmed;
  }

  /** Starts a new section at a heading of `level` (1 = top); its text becomes the section's first block. */
  addHeading(level: number, title: string): void {
    const clean = title.replace(/\s+/g, ' ').trim();
    if (!clean) return;
    while (this.#headingStack.length > 0 && this.#headingStack.at(-1)!.level >= level)
      this.#headingStack.pop();
    this.#headingStack.push({ level, title: clean });
    const start = this.#text ? this.#text.length + BLOCK_SEPARATOR.length : 0;
    this.#sections.push({ headingPath: this.#headingStack.map((h) => h.title), start, end: start });
    if (this.#text) this.#text += BLOCK_SEPARATOR;
    this.#text += clean;
  }

  /** The finished text and its non-empty sections, each ending where the next begins (trailing space trimmed). */
  build(): { text: string; sections: NoteSection[] } {
    const text = this.#text;
    const sections: NoteSection[] = [];
    this.#sections.forEach((section, i) => {
      const next = this.#sections[i + 1];
      let end = next ? next.start : text.length;
      while (end > section.start && /\s/.test(text[end - 1]!)) end--;
      if (end > section.start) sections.push({ ...section, end });
    });
    return { text, sections };
  }
}

/** Line endings to `\n` and no byte-order mark, so offsets are the same on every platform. */
export function normalizeSource(content: string): string {
  const withoutBom = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  return withoutBom.replace(/\r\n?/g, '\n');
}

/** Distinct values in first-seen order. */
export function unique(values: Iterable<string>): string[] {
  return [...new Set(values)];
}

/** The file name without its extension: the title of last resort. */
export function titleFromPath(filePath: string): string {
  const base = path.posix.basename(filePath.replaceAll('\\', '/'));
  const ext = path.extname(base);
  return ext && ext !== base ? base.slice(0, -ext.length) : base;
}
