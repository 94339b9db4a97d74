import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadNoteParsers } from '../ingest/index.ts';
import { OffThreadHost, type OffThreadHostOptions } from '../jobs/offThread/index.ts';
import { NoteIndex } from '../store/index.ts';
import { FeatureHashingEncoder, makeTempDir } from '../testing/index.ts';
import { importNoteParser } from './importParsing.ts';
import { syncFolder, type SyncOptions } from './syncFolder.ts';
import { bigMarkdown } from './testing/bigNotes.ts';

/** A real parsing thread, stopped (terminated, as a crash would) right after the first `crashes` calls reach it. */
class CrashingHost extends OffThreadHost {
  calls = 0;
  constructor(
    private crashes: number,
    options: OffThreadHostOptions = {},
  ) {
    super({ name: 'the note-parsing thread', ...options });
  }
  override call<T>(...args: Parameters<OffThreadHost['call']>): Promise<T> {
    this.calls++;
    const result = super.call<T>(...args);
    if (this.crashes-- > 0) void this.restart();
    return result;
  }
}

const { parseNote } = await loadNoteParsers();
const OPTIONS: SyncOptions = { ignore: [], maxFileBytes: 10_000_000, maxIndexedChars: 3_000_000 };

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let index: NoteIndex;
beforeEach(async () => {
  temp = await makeTempDir('driftless-parse-thread-');
  index = await NoteIndex.open(path.join(temp.dir, 'index'), { dimensions: 64 });
});
afterEach(async () => {
  await index.close();
  await temp.remove();
});

async function importFolder(files: Record<string, string>, host: OffThreadHost) {
  const root = path.join(temp.dir, 'notes');
  await fs.mkdir(root, { recursive: true });
  for (const [name, content] of Object.entries(files)) await fs.writeFile(path.join(root, name), content);
  const encoder = new FeatureHashingEncoder({ dimensions: 64 });
  const context = {
    signal: new AbortController().signal,
    report: () => undefined,
    checkpoint: async () => {},
  };
  try {
    return await syncFolder(
      { id: 'f1', root, addedMs: 0 },
      { index, encoder: async () => encoder, parse: importNoteParser({ host }) },
      OPTIONS,
      context,
    );
  } finally {
    await host.close();
  }
}

describe('the note-parsing thread dying during an import', () => {
  it('parses the note again on a fresh thread when the thread dies once, indexing it as usual', async () => {
    const journal = bigMarkdown(48_000);
    const host = new CrashingHost(1);
    const report = await importFolder({ 'journal.md': journal, 'small.md': '# Small\n\nText.\n' }, host);
    expect(host.calls).toBe(2);
    expect(host.generation).toBe(2);
    expect(report.skipped).toEqual([]);
    expect(report.added).toBe(2);
    const [key] = (await index.committedNoteKeys()).filter((k) => k.includes('journal.md'));
    const chunks = (await index.chunksOfNotes([key!])).get(key!)!;
    expect(chunks[0]!.title).toBe(parseNote('journal.md', journal).title);
  });

  it('skips a note the thread died on twice, with the reason, and imports the rest', async () => {
    const host = new CrashingHost(Infinity);
    const report = await importFolder(
      { 'journal.md': bigMarkdown(48_000), 'small.md': '# Small\n\nText.\n', 'b.txt': 'Plain.\n' },
      host,
    );
    expect(report.added).toBe(2);
    expect(report.skipped).toEqual([
      {
        path: 'journal.md',
        reason: 'parse-error',
        message: expect.stringMatching(
          /^The note could not be parsed: The note-parsing thread stopped twice/,
        ),
      },
    ]);
    expect((await index.committedNoteKeys()).length).toBe(2);
  });

  it('skips a note whose parse runs the thread out of memory, naming that, instead of taking the app down', async () => {
    // A heap this small holds the thread and a small parse, not a 2 MB note's.
    const host = new OffThreadHost({ resourceLimits: { maxOldGenerationSizeMb: 16 } });
    const report = await importFolder(
      { 'huge.md': bigMarkdown(2_000_000), 'small.md': '# Small\n\nText.\n' },
      host,
    );
    expect(report.added).toBe(1);
    expect(report.skipped).toEqual([
      { path: 'huge.md', reason: 'parse-error', message: expect.stringMatching(/memory limit/) },
    ]);
  });
});
