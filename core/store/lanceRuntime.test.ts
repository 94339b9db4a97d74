import { Index } from '@lancedb/lancedb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../testing/index.ts';
import { connectLance } from './lanceRuntime.ts';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => (temp = await makeTempDir('driftless-lance-')));
afterEach(() => temp.remove());

const words = Array.from({ length: 3000 }, (_, i) => `w${i.toString(36)}`);

describe('connectLance', () => {
  // On a 2-core machine Lance's default CPU pool has one thread and this index build never returns
  // (lancedb/lancedb#3568): a posting-list build large enough for several output batches.
  it('builds a large full-text index without deadlocking on a small machine', async () => {
    const db = await connectLance(temp.dir);
    const rows = Array.from({ length: 2000 }, (_, i) => ({
      id: i,
      text: Array.from({ length: 240 }, (_, j) => words[(i * 7919 + j * 104729) % words.length]).join(' '),
    }));
    const table = await db.createTable('docs', rows);
    await table.createIndex('text', { config: Index.fts({ withPosition: true }) });
    const hits = await table.search(rows[5]!.text.split(' ').slice(0, 3).join(' '), 'fts').limit(5).toArray();
    expect(hits.length).toBeGreaterThan(0);
    expect(Number(process.env.LANCE_CPU_THREADS)).toBeGreaterThanOrEqual(2);
    table.close();
    db.close();
  }, 120_000);
});
