import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes `count` small notes (Markdown, Org, HTML and text, some in subfolders, one to three
 * sections each) whose words depend only on their number, so two folders built alike are identical.
 */
export async function writeNoteFolder(dir: string, count: number): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  for (let i = 0; i < count; i += 100) {
    const writes = [];
    for (let j = i; j < Math.min(count, i + 100); j++) {
      const file = path.join(dir, `part-${j % 7}`, noteName(j));
      writes.push(
        fs.mkdir(path.dirname(file), { recursive: true }).then(() => fs.writeFile(file, noteBody(j))),
      );
    }
    await Promise.all(writes);
  }
}

function noteName(i: number): string {
  return `note-${i}.${['md', 'md', 'org', 'html', 'txt'][i % 5]}`;
}

/** The body of note `i` in its format; `edit` changes its words (for notes changed between runs). */
export function noteBody(i: number, edit = 0): string {
  const words = (s: number) =>
    `Note ${i} part ${s} is about topic${(i * 7 + s + edit) % 13} and word${(i + s) % 29}.`;
  const count = 1 + (i % 3);
  const sections = Array.from({ length: count }, (_, s) => words(s));
  switch (i % 5) {
    case 2:
      return `#+TITLE: Note ${i}\n\n${sections.map((text, s) => `* Part ${s}\n${text}`).join('\n')}\n`;
    case 3:
      return `<html><head><title>Note ${i}</title></head><body>${sections.map((text, s) => `<h2>Part ${s}</h2><p>${text}</p>`).join('')}</body></html>`;
    case 4:
      return `${sections.join('\n\n')}\n`;
    default:
      return `---\ntags: [t${i % 4}]\n---\n# Note ${i}\n\n${sections.map((text, s) => `## Part ${s}\n\n${text}`).join('\n\n')}\n`;
  }
}
