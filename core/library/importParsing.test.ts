import { afterAll, describe, expect, it } from 'vitest';
import { DriftlessError } from '../base/index.ts';
import { loadNoteParsers, parseNoteYielding } from '../ingest/index.ts';
import { OffThreadHost } from '../jobs/offThread/index.ts';
import { importNoteParser, OFF_THREAD_PARSE_FROM_CHARS, parsesOffThread } from './importParsing.ts';
import { bigHtml, bigMarkdown, bigOrg } from './testing/bigNotes.ts';

/** A real parsing thread that records the calls sent to it. */
class RecordingHost extends OffThreadHost {
  readonly calls: string[] = [];
  override call<T>(...args: Parameters<OffThreadHost['call']>): Promise<T> {
    this.calls.push(`${args[0]} ${(args[1] as { relPath: string }).relPath}`);
    return super.call<T>(...args);
  }
}

const { parseNote } = await loadNoteParsers();
const host = new RecordingHost({ name: 'the test parsing thread' });
const parser = importNoteParser({ host });
afterAll(() => host.close());

const never = new AbortController().signal;

/** Turns of this thread's event loop (setImmediate callbacks run) while `work` is in flight. */
async function turnsDuring(work: () => Promise<unknown>): Promise<number> {
  let turns = 0;
  let settled = false;
  const spin = () => {
    if (settled) return;
    turns++;
    setImmediate(spin);
  };
  setImmediate(spin);
  try {
    await work();
  } finally {
    settled = true;
  }
  return turns;
}

describe('parsing for imports', () => {
  it.each([
    ['journal.md', bigMarkdown(48_000)],
    ['page.html', bigHtml(200_000)],
    ['outline.org', bigOrg(200_000)],
  ])(
    'parses a big %s on the note-parsing thread, giving exactly the in-process result',
    async (file, source) => {
      expect(parsesOffThread(file, source.length)).toBe(true);
      host.calls.length = 0;
      const parsed = await parser(file, source, never);
      expect(host.calls).toEqual([`parseNote ${file}`]);
      expect(parsed).toEqual(parseNote(file, source));
      expect(parsed.sections.length).toBeGreaterThan(10);
    },
  );

  it('keeps small notes on the calling thread: no parsing thread is started for them', async () => {
    const idle = new RecordingHost();
    try {
      const small = importNoteParser({ host: idle });
      const note = '# Small\n\nA short note with a [[link]] and #tag.\n';
      expect(await small('small.md', note, never)).toEqual(parseNote('small.md', note));
      const page = bigHtml(OFF_THREAD_PARSE_FROM_CHARS.whole - 2_000);
      expect(await small('page.html', page, never)).toEqual(parseNote('page.html', page));
      expect(idle.calls).toEqual([]);
      expect(idle.generation).toBe(0);
    } finally {
      await idle.close();
    }
  });

  it('thresholds: Markdown from 1 KiB, the formats read by linear scanners from 64 KiB', () => {
    expect(parsesOffThread('a.md', 1_023)).toBe(false);
    expect(parsesOffThread('a.md', 1_024)).toBe(true);
    expect(parsesOffThread('a.html', 60_000)).toBe(false);
    expect(parsesOffThread('a.org', 65_536)).toBe(true);
    expect(parsesOffThread('a.txt', 65_536)).toBe(true);
    expect(parsesOffThread('a.pdf', 1e9)).toBe(false);
  });

  it('lets the calling thread turn while a big note is parsed, where parsing in-thread held it throughout', async () => {
    // HTML is parsed in one go: in-thread (the old import parser), not one setImmediate callback
    // runs before the parse is over; through the parser of imports, the thread keeps turning.
    const page = bigHtml(400_000);
    expect(await turnsDuring(() => parseNoteYielding('page.html', page, never))).toBe(0);
    expect(await turnsDuring(() => parser('page.html', page, never))).toBeGreaterThan(0);
    const outline = bigOrg(400_000);
    expect(await turnsDuring(() => parseNoteYielding('outline.org', outline, never))).toBe(0);
    expect(await turnsDuring(() => parser('outline.org', outline, never))).toBeGreaterThan(0);
  });

  it('stops a parse in flight when the import is cancelled, and parses the next note as before', async () => {
    const controller = new AbortController();
    const source = bigMarkdown(96_000);
    const parsing = parser('journal.md', source, controller.signal);
    controller.abort();
    await expect(parsing).rejects.toSatisfy(
      (error) => error instanceof DriftlessError && error.code === 'CANCELLED',
    );
    const next = bigMarkdown(4_000);
    expect(await parser('next.md', next, never)).toEqual(parseNote('next.md', next));
  });

  it('reports an unsupported format as the in-process parser does', async () => {
    await expect(parser('a.pdf', 'x'.repeat(100_000), never)).rejects.toSatisfy(
      (error) => error instanceof DriftlessError && error.code === 'UNSUPPORTED',
    );
  });
});
