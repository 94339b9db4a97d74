import type { Table } from 'mdast';
import { describe, expect, it } from 'vitest';
import { MAX_MARKDOWN_NESTING } from './markdownSegments.ts';
import { markdownPieces, markdownTree } from './markdownTree.ts';

function table(rows: number): string {
  const body = Array.from({ length: rows }, (_, i) => `| r${i}c0 | r${i}c1 |`);
  return `# Ledger\n\n| col 0 | col 1 |\n| --- | --- |\n${body.join('\n')}\n\nAfter the table.\n`;
}

describe('markdownTree', () => {
  it('parses GFM: tables, strikethrough, task items, autolinks and footnotes', () => {
    const tree = markdownTree(
      '| a |\n| - |\n| ~~b~~ |\n\n- [x] done\n\nsee www.example.com and a note[^1]\n\n[^1]: note',
    );
    expect(tree.children.map((node) => node.type)).toEqual([
      'table',
      'list',
      'paragraph',
      'footnoteDefinition',
    ]);
    expect(JSON.stringify(tree)).toContain('"type":"delete"');
    expect(JSON.stringify(tree)).toContain('"checked":true');
    expect(JSON.stringify(tree)).toContain('"url":"http://www.example.com"');
  });

  it('joins a table cut into several pieces into one table again, its head once', () => {
    const rows = 2_000;
    const pieces = [...markdownPieces(table(rows))];
    expect(pieces.filter((piece) => 'tree' in piece && piece.continuesTable).length).toBeGreaterThan(10);
    const tables = markdownTree(table(rows)).children.filter((node): node is Table => node.type === 'table');
    expect(tables).toHaveLength(1);
    // The head row and every body row, in order.
    expect(tables[0]!.children).toHaveLength(rows + 1);
    const firstCells = tables[0]!.children.map(
      (row) => JSON.stringify(row.children[0]).match(/"value":"([^"]+)"/)![1],
    );
    expect(firstCells).toEqual(['col 0', ...Array.from({ length: rows }, (_, i) => `r${i}c0`)]);
  });

  it('shows a piece nested too deeply as the paragraphs of text it is indexed as', () => {
    const oneLine = `${'- '.repeat(2_500)}x`;
    const [piece] = [...markdownPieces(oneLine)];
    expect(piece).toMatchObject({ plainBecause: 'too-deep' });
    expect(markdownTree(`Intro.\n\n${oneLine}`).children).toEqual([
      expect.objectContaining({ type: 'paragraph' }),
      { type: 'paragraph', children: [{ type: 'text', value: oneLine }] },
    ]);
    expect(MAX_MARKDOWN_NESTING).toBeLessThan(2_500);
  });
});
