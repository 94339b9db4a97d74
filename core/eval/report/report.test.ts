import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runContinual } from '../continual/index.ts';
import type { ContinualReport } from '../continual/index.ts';
import { fixtureDeps, fixtureOptions } from '../continual/testing/fixtureRun.ts';
import { barChart, lineChart, progressBar, writeContinualReport } from './index.ts';
import { formatSeconds } from './progress.ts';

/**
 * Throws unless `svg` is well-formed XML (every tag closed in order, attributes quoted, text and
 * attribute values escaped) with one <svg> root in the SVG namespace, and holds no NaN.
 */
function assertValidSvg(svg: string): void {
  const stack: string[] = [];
  let roots = 0;
  const tag = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (const match of svg.matchAll(tag)) {
    assertText(svg.slice(last, match.index));
    last = match.index + match[0].length;
    const [, closing, name, attributes, selfClosing] = match;
    if (closing) {
      expect(stack.pop()).toBe(name);
      continue;
    }
    if (stack.length === 0) {
      roots += 1;
      expect(name).toBe('svg');
      expect(attributes).toContain('xmlns="http://www.w3.org/2000/svg"');
    }
    for (const [, value] of attributes!.matchAll(/="([^"]*)"/g)) assertText(value!);
    if (!selfClosing) stack.push(name!);
  }
  assertText(svg.slice(last));
  expect(stack).toEqual([]);
  expect(roots).toBe(1);
  expect(svg).not.toMatch(/NaN|undefined|Infinity/);
}

/** Text outside tags: no '<' or '>', and '&' only as an entity. */
function assertText(text: string): void {
  expect(text).not.toMatch(/[<>]/);
  expect(text.replace(/&(lt|gt|amp|quot|apos|#\d+);/g, '')).not.toContain('&');
}

describe('SVG charts', () => {
  it('draw one line per series and escape text', () => {
    const svg = lineChart({
      title: 'a <b> & "c"',
      xLabels: ['1', '2', '3'],
      yLabel: 'nDCG@10',
      series: [
        { name: 'ft', values: [0.2, 0.1, null] },
        { name: 'ft+kd+mean', values: [0.3, 0.25, 0.2] },
      ],
    });
    assertValidSvg(svg);
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).toContain('a &lt;b&gt; &amp; &quot;c&quot;');
  });

  it('draw one bar per series and category, also for empty data', () => {
    const svg = barChart({
      title: 'cost',
      categories: ['stage 1', 'stage 2'],
      yLabel: 'seconds',
      series: [
        { name: 'reindex', values: [3, 6] },
        { name: 'fit', values: [0.5, 0.4] },
      ],
    });
    assertValidSvg(svg);
    expect(svg.match(/<rect [^>]*fill="#/g)?.length).toBeGreaterThanOrEqual(4);
    assertValidSvg(barChart({ title: 'none', categories: [], yLabel: 's', series: [] }));
  });
});

describe('writeContinualReport', () => {
  let work: string;
  let report: ContinualReport;
  let files: string[];
  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'driftless-report-'));
    report = await runContinual(fixtureOptions(path.join(work, 'run'), ['mean']), fixtureDeps());
    files = await writeContinualReport(report, path.join(work, 'out'));
  }, 300_000); // a whole fixture run of the continual benchmark
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('writes report.json that reads back as the report', async () => {
    const json = JSON.parse(await readFile(path.join(work, 'out', 'report.json'), 'utf8')) as ContinualReport;
    expect(json).toEqual(JSON.parse(JSON.stringify(report)));
    expect(Object.keys(json)).toEqual([
      'format',
      'formatVersion',
      'config',
      'encoder',
      'methods',
      'settings',
      'tasks',
      'stages',
      'summary',
      'differences',
      'totals',
      'environment',
    ]);
  });

  it('writes report.md with a row per method in every setting and links to every plot', async () => {
    const markdown = await readFile(path.join(work, 'out', 'report.md'), 'utf8');
    for (const setting of report.settings) expect(markdown).toContain(`## ${setting}: average nDCG@10`);
    for (const method of report.methods) expect(markdown).toContain(`| ${method} |`);
    expect(markdown).toContain('| app-dense | 2 | app − frozen |');
    const plots = await readdir(path.join(work, 'out', 'plots'));
    for (const plot of plots) expect(markdown).toContain(`(plots/${plot})`);
    for (const table of markdown.split(/\n\n+/).filter((block) => block.startsWith('| '))) {
      const widths = table.split('\n').map((row) => row.split(/(?<!\\)\|/).length);
      expect(new Set(widths).size, table).toBe(1);
    }
  });

  it('marks a report of a run still in progress as partial, and only such a report', async () => {
    const complete = await readFile(path.join(work, 'out', 'report.md'), 'utf8');
    expect(complete).not.toContain('Partial report');
    const partial = { ...report, stages: report.stages.slice(0, 1) };
    await writeContinualReport(partial, path.join(work, 'partial'));
    const markdown = await readFile(path.join(work, 'partial', 'report.md'), 'utf8');
    expect(markdown).toContain('Partial report: 1 of 2 tasks done');
  });

  it('writes valid SVG plots: quality per task and setting, averages and cost', async () => {
    const plots = (await readdir(path.join(work, 'out', 'plots'))).sort();
    expect(plots).toContain('cost.svg');
    expect(plots).toContain('quality-per-task-t1-topics-a.svg');
    expect(plots).toContain('quality-mixed-rrf-average.svg');
    expect(plots).toHaveLength(report.settings.length * (report.tasks.length + 1) + 1);
    for (const plot of plots) assertValidSvg(await readFile(path.join(work, 'out', 'plots', plot), 'utf8'));
    expect(files).toHaveLength(plots.length + 2);
  });
});

describe('progressBar', () => {
  it('writes progress with an ETA once it can be estimated', () => {
    let text = '';
    const bar = progressBar({ write: (chunk: string) => (text += chunk), isTTY: false }, 'continual');
    bar.listener({ phase: 'continual', done: 0, total: 4, detail: 'task 1: indexing' });
    bar.listener({ phase: 'continual', done: 2, total: 4, detail: 'task 1: fitting' });
    bar.stop();
    expect(text).toContain('continual [');
    expect(text).toContain('2/4');
    expect(text).toContain('task 1: fitting');
    expect(formatSeconds(undefined)).toBe('?');
    expect(formatSeconds(245)).toBe('4m05s');
    expect(formatSeconds(3720)).toBe('1h02m');
  });

  it('shows whole units and an ETA no shorter than the current unit still needs', () => {
    vi.useFakeTimers({ now: 0 });
    try {
      let text = '';
      const bar = progressBar({ write: (chunk: string) => (text += chunk), isTTY: false }, 'continual');
      bar.listener({ phase: 'continual', done: 0, total: 4, detail: 'indexing' });
      vi.setSystemTime(100_000);
      bar.listener({ phase: 'continual', done: 1, total: 4, detail: 'evaluating' });
      vi.setSystemTime(110_000);
      // Overall pace says 110 / 1.01 * 2.99 = 326 s; this unit's own pace says 10 / 0.01 * 0.99 = 990 s.
      bar.listener({ phase: 'continual', done: 1.01, total: 4, detail: 'evaluating, 1/100 queries' });
      bar.stop();
      expect(text).toContain('1/4');
      expect(text).not.toContain('1.01/4');
      expect(text).toContain('ETA 16m30s | evaluating, 1/100 queries');
    } finally {
      vi.useRealTimers();
    }
  });
});
