import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DriftlessError } from '../base/index.ts';
import { parseNoteYielding } from '../ingest/index.ts';
import type { JobContext } from '../jobs/index.ts';
import { OffThreadHost } from '../jobs/offThread/index.ts';
import { NoteIndex } from '../store/index.ts';
import { FeatureHashingEncoder, makeTempDir } from '../testing/index.ts';
import { importNoteParser, type NoteParser } from './importParsing.ts';
import { syncFolder, type SyncOptions } from './syncFolder.ts';
import { bigHtml, bigMarkdown, bigOrg } from './testing/bigNotes.ts';

/** A real parsing thread that records which notes were sent to it. */
class RecordingHost extends OffThreadHost {
  readonly parsed: string[] = [];
  override call<T>(...args: Parameters<OffThreadHost['call']>): Promise<T> {
    this.parsed.push((args[1] as { relPath: string }).relPath);
    return super.call<T>(...args);
  }
}

const host = new RecordingHost({ name: 'the test parsing thread' });
afterAll(() => host.close());

const OPTIONS: SyncOptions = { ignore: [], maxFileBytes: 300_000, maxIndexedChars: 150_000 };

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let notes: string;
const indexes: NoteIndex[] = [];
beforeEach(async () => {
  temp = await makeTempDir('driftless-import-off-thread-');
  notes = path.join(temp.dir, 'notes');
  await writeFolder(notes);
});
afterEach(async () => {
  for (const index of indexes.splice(0)) await index.close();
  await temp.remove();
});

/** Big notes of each format, small ones, and files every import skips, each for its own reason. */
async function writeFolder(root: string): Promise<void> {
  const files: Record<string, string | Buffer> = {
    'big/journal.md': bigMarkdown(48_000),
    'big/page.html': bigHtml(200_000), // past maxIndexedChars: its indexed part is parsed
    'big/outline.org': bigOrg(100_000),
    'small/a.md': '# A\n\nA small note with a [[b]] link and #tag.\n',
    'small/b.txt': 'Plain text note.\n',
    'small/c.org': '* C\nAn Org note.\n',
    'skip/binary.md': Buffer.from([0x23, 0x20, 0x00, 0x01, 0x02, 0x41]),
    'skip/not-utf8.md': Buffer.from([0x23, 0x20, 0xff, 0xfe, 0x41]),
    'skip/empty.md': '  \n\n',
    'skip/huge.md': bigMarkdown(400_000),
  };
  for (const [rel, content] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await fs.writeFile(path.join(root, rel), content);
  }
}

function jobContext(signal = new AbortController().signal): JobContext {
  return { signal, report: () => undefined, checkpoint: async () => {} };
}

/** Imports the folder into a fresh index with `parse`; the report, and every chunk as stored. */
async function importWith(parse: NoteParser, context = jobContext()) {
  const index = await NoteIndex.open(path.join(temp.dir, `index-${indexes.length}`), { dimensions: 64 });
  indexes.push(index);
  const encoder = new FeatureHashingEncoder({ dimensions: 64 });
  const folder = { id: 'f1', root: notes, addedMs: 0 };
  const report = await syncFolder(folder, { index, encoder: async () => encoder, parse }, OPTIONS, context);
  const keys = (await index.committedNoteKeys()).sort();
  return { report, index, chunks: [...(await index.chunksOfNotes(keys)).entries()] };
}

describe('an import with big notes parsed on the note-parsing thread', () => {
  it('indexes the same notes and chunks and reports the same skips as parsing them in-process', async () => {
    const inProcess = await importWith(parseNoteYielding);
    host.parsed.length = 0;
    const offThread = await importWith(importNoteParser({ host }));

    // The big notes went to the thread, the small ones did not.
    expect(host.parsed.sort()).toEqual(['big/journal.md', 'big/outline.org', 'big/page.html']);
    const { finishedMs: _a, ...expected } = inProcess.report;
    const { finishedMs: _b, ...actual } = offThread.report;
    expect(actual).toEqual(expected);
    expect(actual.added).toBe(6);
    expect(actual.skipped.map((skip) => `${skip.path} ${skip.reason}`).sort()).toEqual([
      'skip/binary.md binary',
      'skip/empty.md empty',
      'skip/huge.md too-large',
      'skip/not-utf8.md invalid-utf8',
    ]);
    expect(actual.truncated.map((entry) => entry.path)).toEqual(['big/page.html']);
    expect(offThread.chunks).toEqual(inProcess.chunks);
    expect(offThread.chunks.find(([key]) => key.includes('journal.md'))?.[1].length).toBeGreaterThan(5);
  });

  it('stops when cancelled while a big note is parsed there, writing none of its batch', async () => {
    const controller = new AbortController();
    const parser = importNoteParser({ host });
    const cancelDuringBigParse: NoteParser = (relPath, content, signal) => {
      const parsing = parser(relPath, content, signal);
      // The call is on its way to the thread (posted synchronously): cancel the import now.
      if (relPath === 'big/journal.md') controller.abort();
      return parsing;
    };
    await expect(importWith(cancelDuringBigParse, jobContext(controller.signal))).rejects.toSatisfy(
      (error) => error instanceof DriftlessError && error.code === 'CANCELLED',
    );
    const index = indexes.at(-1)!;
    expect(await index.committedNoteKeys()).toEqual([]);
  });
});
