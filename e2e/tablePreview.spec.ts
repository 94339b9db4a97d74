import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { loadNoteParsers } from '../core/ingest/index.ts';
import { addFolder, openWithNotes } from './helpers.ts';

// Issue 16: the preview renders the tree the index reads (GFM), so a hit's offset into the indexed
// text names the rendered block where its chunk begins, inside a table too. This file adds a second
// folder, so it runs after searchWindow*.spec.ts (alphabetical order), which expect the fixtures alone.

const ROWS = 150;

/** A tide log: a GFM table long enough to be chunked (and parsed) in several pieces, struck-through text. */
function tideLog(): string {
  const rows = Array.from(
    { length: ROWS },
    (_, r) => `| harbour${r} | ${r === ROWS - 10 ? 'zanzibar' : `kelp${r}`} | ~~gauge${r}~~ buoy${r} |`,
  );
  return [
    '# Tide log',
    '',
    'Readings of the harbour gauges, one row a tide. ~~Old gauge~~ retired.',
    '',
    '## Readings',
    '',
    '| Harbour | Weed | Gauge |',
    '| --- | --- | --- |',
    ...rows,
    '',
    '## Notes',
    '',
    'Nothing else to report.',
    '',
  ].join('\n');
}

test('previews GFM as it is indexed and marks the block where the hit begins, inside a table', async ({
  page,
}) => {
  const notes = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-e2e-gfm-'));
  const content = tideLog();
  await fs.writeFile(path.join(notes, 'tide-log.md'), content);
  try {
    await openWithNotes(page);
    await addFolder(page, notes);

    // Searches until the note shows up (the folder is still importing).
    await page.getByTestId('nav-search').click();
    const input = page.getByTestId('search-input');
    const result = page.getByTestId('result').filter({ hasText: 'Tide log' }).first();
    await expect(async () => {
      await input.fill('');
      await input.fill('zanzibar');
      await expect(result).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 120_000 });
    const noteRequest = page.waitForRequest((request) => request.url().endsWith('/api/getNote'));
    await result.click();
    const { around } = (await noteRequest).postDataJSON() as { around: number };

    const body = page.getByTestId('preview-body');
    await expect(body.locator('table tbody tr')).toHaveCount(ROWS);
    await expect(body.locator('del').first()).toHaveText('Old gauge');
    await expect(body).not.toContainText('|');

    // The hit's chunk begins inside the table (several chunks cover it), at a word of one cell.
    const { parseNote } = await loadNoteParsers();
    const indexed = parseNote('tide-log.md', content).text;
    const firstWord = indexed.slice(around).split(/\s/)[0]!;
    expect(around).toBeGreaterThan(indexed.indexOf('harbour0'));
    const matched = body.locator('.matched');
    await expect(matched).toHaveCount(1);
    await expect(matched).toHaveText(new RegExp(`(^|\\s)${firstWord}(\\s|$)`));
    expect(await matched.evaluate((element) => element.closest('table') !== null)).toBe(true);
  } finally {
    await fs.rm(notes, { recursive: true, force: true });
  }
});
