import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ContinualReport } from '../continual/index.ts';
import { continualMarkdown } from './continualMarkdown.ts';
import { continualPlots } from './continualPlots.ts';

/** JSON with two-space indent; undefined becomes null so every run has the same keys. */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(value, (_key, v: unknown) => (v === undefined ? null : v), 2)}\n`;
}

/**
 * Writes `report.json`, `report.md` and `plots/*.svg` of a continual run into `outDir` (created when
 * missing); returns the paths written.
 */
export async function writeContinualReport(report: ContinualReport, outDir: string): Promise<string[]> {
  const plots = continualPlots(report);
  await mkdir(path.join(outDir, 'plots'), { recursive: true });
  const files: Array<[string, string]> = [
    ['report.json', stableJson(report)],
    ['report.md', continualMarkdown(report, plots)],
    ...plots.map((plot): [string, string] => [path.join('plots', plot.file), plot.svg]),
  ];
  for (const [name, content] of files) await writeFile(path.join(outDir, name), content, 'utf8');
  return files.map(([name]) => path.join(outDir, name));
}
