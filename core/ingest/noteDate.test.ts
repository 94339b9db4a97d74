import { describe, expect, it } from 'vitest';
import { loadNoteParsers } from './parse/index.ts';
import { noteDateMs, noteDateOfSource } from './noteDate.ts';

const { parseNote } = await loadNoteParsers();

const mtime = Date.UTC(2026, 11, 7, 8, 0);
const dateOf = (notePath: string, content: string) =>
  noteDateMs(parseNote(notePath, content), notePath, mtime);

describe('noteDateMs', () => {
  it('takes front matter date or created as that local day', () => {
    expect(dateOf('a.md', '---\ndate: 2023-05-08\n---\nText')).toBe(new Date(2023, 4, 8).getTime());
    expect(dateOf('a.md', '---\ncreated: 2021-01-31\nupdated: 2022-02-02\n---\nText')).toBe(
      new Date(2021, 0, 31).getTime(),
    );
  });

  it('keeps a front matter time as written', () => {
    expect(dateOf('a.md', '---\nupdated: 2022-02-02T10:30:00Z\n---\nText')).toBe(
      Date.UTC(2022, 1, 2, 10, 30),
    );
  });

  it('falls back to a day in the file name, then to the modification time', () => {
    expect(dateOf('journal/2023-05-08 session 01.md', 'Text')).toBe(new Date(2023, 4, 8).getTime());
    expect(dateOf('2019_12_24.txt', 'Text')).toBe(new Date(2019, 11, 24).getTime());
    expect(dateOf('2023-05-08/notes.md', 'Text')).toBe(mtime);
    expect(dateOf('id 12023-05-081.md', 'Text')).toBe(mtime);
    expect(dateOf('2023-02-30 plan.md', 'Text')).toBe(mtime);
    expect(dateOf('a.md', '---\ndate: someday\n---\nText')).toBe(mtime);
  });

  it('reads the same date from a source without parsing the note', async () => {
    const sources: Array<[string, string]> = [
      ['a.md', '---\ndate: 2023-05-08\n---\nText'],
      ['2019_12_24.txt', 'Text'],
      ['b.org', '#+TITLE: b\nText'],
      ['c.md', '\uFEFF---\r\ncreated: 2021-01-31\r\n---\r\nText'],
    ];
    for (const [notePath, source] of sources)
      expect(await noteDateOfSource(notePath, source, mtime)).toBe(dateOf(notePath, source));
  });
});
