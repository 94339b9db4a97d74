import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Progress } from '../base/index.ts';
import type { JobContext } from '../jobs/index.ts';
import { NoteIndex } from '../store/index.ts';
import { FeatureHashingEncoder, makeTempDir } from '../testing/index.ts';
import { syncFolder, type SyncOptions } from './syncFolder.ts';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let index: NoteIndex;
beforeEach(async () => {
  temp = await makeTempDir('driftless-sync-progress-');
  index = await NoteIndex.open(path.join(temp.dir, 'index'), { dimensions: 64 });
});
afterEach(async () => {
  await index.close();
  await temp.remove();
});

/** A clock that moves a second on every reading, so the 250 ms spacing lets every report through. */
function tickingClock(): () => number {
  let ms = 0;
  return () => (ms += 1000);
}

/** `count` one-chunk notes in three folders; with `parts`, note i has 1 + i % 3 sections instead. */
async function writeNotes(count: number, { parts = false } = {}): Promise<string> {
  const notes = path.join(temp.dir, 'notes');
  for (let i = 0; i < count; i++) {
    const dir = path.join(notes, `month-${i % 3}`);
    await fs.mkdir(dir, { recursive: true });
    const sections = Array.from(
      { length: 1 + (i % 3) },
      (_, part) => `## Part ${part}\n\nNote ${i}, part ${part}: text ${(i * 7 + part) % 13}.`,
    );
    const body = parts ? sections.join('\n\n') : `Text ${i}.`;
    await fs.writeFile(path.join(dir, `n${i}.md`), `# Note ${i}\n\n${body}`);
  }
  return notes;
}

/** Notes imported once and then touched: every file is read again and found unchanged. */
async function touchedNotes(count: number): Promise<string> {
  const notes = await writeNotes(count);
  await sync(notes, {});
  const later = new Date(Date.now() + 60_000);
  for (const dir of await fs.readdir(notes)) {
    for (const name of await fs.readdir(path.join(notes, dir)))
      await fs.utimes(path.join(notes, dir, name), later, later);
  }
  return notes;
}

async function sync(root: string, options: Partial<SyncOptions>, encoder = new FeatureHashingEncoder()) {
  const reports: Progress[] = [];
  const context: JobContext = {
    signal: new AbortController().signal,
    report: (progress) => void reports.push(progress),
    checkpoint: async () => {},
  };
  const folder = { id: 'f1', root, addedMs: 0 };
  const all = { ignore: [], maxFileBytes: 1_000_000, maxIndexedChars: 100_000, ...options };
  await syncFolder(folder, { index, encoder: async () => encoder }, all, context);
  return reports;
}

const counts = (reports: Progress[], phase: string) =>
  reports.filter((report) => report.phase === phase).map((report) => report.done);

describe('syncFolder progress', () => {
  it('reports how many notes it will read before the first batch waits for the encoder', async () => {
    const notes = await writeNotes(5);
    let reportsBeforeEncoder: Progress[] | undefined;
    const reports: Progress[] = [];
    const context: JobContext = {
      signal: new AbortController().signal,
      report: (progress) => void reports.push(progress),
      checkpoint: async () => {},
    };
    const encoder = async () => {
      reportsBeforeEncoder ??= [...reports];
      return new FeatureHashingEncoder({ dimensions: 64 });
    };
    const folder = { id: 'f1', root: notes, addedMs: 0 };
    const options = {
      ignore: [],
      maxFileBytes: 1_000_000,
      maxIndexedChars: 100_000,
      batchSize: 2,
      progressClock: tickingClock(),
    };
    await syncFolder(folder, { index, encoder }, options, context);
    expect(reportsBeforeEncoder?.at(-1)).toEqual({ phase: 'index', done: 0, total: 5 });
    expect(counts(reports, 'index')).toEqual([0, 2, 4, 5]);
  });

  it('counts files as the scan finds them, then notes as they are embedded, with the total known from the scan on', async () => {
    const notes = await writeNotes(100, { parts: true });
    /** The chunks the encoder was given, call by call. */
    const calls: string[][] = [];
    const encoder = new FeatureHashingEncoder({ dimensions: 64 });
    const embed = encoder.embedDocuments.bind(encoder);
    encoder.embedDocuments = (texts: readonly string[]) => {
      calls.push([...texts]);
      return embed(texts);
    };
    const reports = await sync(notes, { progressClock: tickingClock() }, encoder);

    // The scan: every file found so far, with no total yet; then only the import, with its total.
    const scanEnd = reports.findIndex((report) => report.phase !== 'scan');
    const scanning = reports.slice(0, scanEnd);
    expect(scanning.every((report) => report.phase === 'scan' && report.total === undefined)).toBe(true);
    expect(counts(reports, 'scan')).toEqual(Array.from({ length: 101 }, (_, i) => i));
    expect(reports.slice(scanEnd).every((report) => report.phase === 'index' && report.total === 100)).toBe(
      true,
    );

    // The encoder gets 32 chunks a call (one of its batches), fewer only at the end of a batch of 64
    // notes; a batch's chunks go shortest first (so no call pads short chunks to long ones).
    expect(calls.filter((call) => call.length !== 32).length).toBeLessThanOrEqual(2);
    const lengths = calls.flat().map((text) => text.length);
    const descents = lengths.filter((length, i) => i > 0 && length < lengths[i - 1]!).length;
    expect(descents).toBeLessThanOrEqual(1);
    expect(lengths.length).toBeGreaterThan(200); // several chunks a note

    // The count of notes moves after every call, by their share of the chunks embedded: from 0 to
    // 100, never back, never by more than a call's 32 chunks (before: 0, 64, 100).
    const done = counts(reports, 'index');
    expect(done).toHaveLength(calls.length + 1);
    expect(done[0]).toBe(0);
    expect(done.at(-1)).toBe(100);
    const steps = done.slice(1).map((value, i) => value - done[i]!);
    expect(steps.every((step) => step >= 1 && step <= 32)).toBe(true);
  });

  it('moves note by note where nothing needs embedding', async () => {
    const notes = await touchedNotes(40);
    const reports = await sync(notes, { progressClock: tickingClock(), batchSize: 16 });
    expect(counts(reports, 'index')).toEqual(Array.from({ length: 41 }, (_, i) => i));
    expect(reports.filter((report) => report.phase === 'index').every((report) => report.total === 40)).toBe(
      true,
    );
  });

  describe('sends on at most one report per 250 ms, besides phase starts and ends and before each wait', () => {
    // A stopped clock: no report ever comes 250 ms after the last one sent.
    const stopped = () => 0;

    it("a first import: the scan's count once, then the count before each encoder call", async () => {
      const reports = await sync(await writeNotes(100), { progressClock: stopped });
      expect(reports.map(({ phase, done, total }) => ({ phase, done, total }))).toEqual([
        { phase: 'scan', done: 0, total: undefined },
        { phase: 'scan', done: 100, total: undefined },
        ...[0, 32, 64, 96, 100].map((done) => ({ phase: 'index', done, total: 100 })),
      ]);
    });

    it('a sync with nothing to embed: start and end of each phase', async () => {
      const reports = await sync(await touchedNotes(40), { progressClock: stopped });
      expect(reports).toEqual([
        { phase: 'scan', done: 0 },
        { phase: 'scan', done: 40 },
        { phase: 'index', done: 0, total: 40 },
        { phase: 'index', done: 40, total: 40, detail: expect.any(String) },
      ]);
    });
  });
});
