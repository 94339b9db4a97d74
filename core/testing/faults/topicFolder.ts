import fs from 'node:fs/promises';
import path from 'node:path';
import { topicNotes } from '../../adapt/testing/index.ts';
import type { NoteSpec } from '../index.ts';

function markdown(spec: NoteSpec): string {
  const sections = spec.sections.map((section) =>
    typeof section === 'string' ? section : `## ${section.heading.join(' ')}\n\n${section.text}`,
  );
  return `# ${spec.title}\n\n${sections.join('\n\n')}\n`;
}

/** Writes `count` topic notes (the adaptation fixture's), numbered from `from`, as Markdown files. */
export async function writeTopicFolder(dir: string, count: number, from = 0): Promise<void> {
  for (const spec of topicNotes(count, from)) {
    const file = path.join(dir, spec.notePath);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, markdown(spec));
  }
}
