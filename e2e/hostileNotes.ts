import fs from 'node:fs/promises';
import path from 'node:path';

/** The e2e data folder's settings: a 50 MB note is read, but only its head is indexed. */
export const HOSTILE_SETTINGS = { maxFileBytes: 64 * 1024 * 1024, maxIndexedChars: 50_000 };

/** Rows of the huge table: many, yet under the preview's limit, so the table itself is rendered. */
export const TABLE_ROWS = 2_000;

/** Nesting of the deep list: far over what the preview renders as Markdown. */
export const LIST_DEPTH = 300;

/**
 * Writes the hostile notes too large to keep in the repository into `dir`: one line of 50 MB, a
 * table of thousands of rows and a list nested hundreds of levels deep.
 */
export async function writeLargeHostileNotes(dir: string): Promise<void> {
  const line = 'kangaroo telemetry burst '.repeat(Math.ceil((50 * 1024 * 1024) / 25));
  await fs.writeFile(
    path.join(dir, 'huge-line.md'),
    `# Huge line log\n\n${line}<script>window.pwned='line'</script>\n`,
  );
  const header = `| ${Array.from({ length: 8 }, (_, i) => `col ${i}`).join(' | ')} |`;
  const rows = Array.from(
    { length: TABLE_ROWS },
    (_, r) => `| ${Array.from({ length: 8 }, (_, c) => `r${r}c${c}`).join(' | ')} |`,
  );
  await fs.writeFile(
    path.join(dir, 'huge-table.md'),
    `# Wombat ledger table\n\nA wombat ledger with a very large table.\n\n${header}\n|${' --- |'.repeat(8)}\n${rows.join('\n')}\n`,
  );
  const list = Array.from({ length: LIST_DEPTH }, (_, i) => `${'  '.repeat(i)}- matryoshka level ${i}`);
  await fs.writeFile(
    path.join(dir, 'deep-list.md'),
    `# Matryoshka nesting\n\nDolls inside dolls, nested very deeply.\n\n${list.join('\n')}\n`,
  );
}
