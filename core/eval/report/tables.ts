/** A GitHub-flavoured Markdown table; pipes in cells are escaped. */
export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** A metric with fixed decimals; empty for a missing value. */
export function num(value: number | undefined | null, digits = 4): string {
  return value === undefined || value === null || !Number.isFinite(value) ? '' : value.toFixed(digits);
}

/** Milliseconds as seconds with one decimal. */
export function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}
