import { describe, expect, it } from 'vitest';
import { noteExcerpt } from './noteExcerpt.ts';

describe('noteExcerpt', () => {
  it('sends a short note whole', () => {
    expect(noteExcerpt('# Title\n\nbody', 5, 100)).toEqual({ content: '# Title\n\nbody' });
  });

  it('cuts a long note at line breaks around the requested offset', () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `line ${i}`);
    const content = lines.join('\n');
    const around = content.indexOf('line 15000');
    const { content: part, excerpt } = noteExcerpt(content, around, 50_000);
    expect(excerpt).toBeDefined();
    expect(part).toBe(content.slice(excerpt!.start, excerpt!.end));
    expect(part.length).toBeLessThanOrEqual(50_000);
    expect(excerpt!.totalChars).toBe(content.length);
    expect(excerpt!.start).toBeLessThan(around);
    expect(excerpt!.end).toBeGreaterThan(around);
    expect(content[excerpt!.start - 1]).toBe('\n');
    expect(part.endsWith('\n')).toBe(false);
    expect(content[excerpt!.end]).toBe('\n');
  });

  it('cuts one huge line where it must, without splitting a surrogate pair', () => {
    const content = '🦘'.repeat(300_000);
    const { content: part, excerpt } = noteExcerpt(content, 250_001, 10_001);
    expect(part.length).toBeLessThanOrEqual(10_001);
    expect(part.length).toBeGreaterThan(9_000);
    expect([...part].every((char) => char === '🦘')).toBe(true);
    expect(excerpt!.start % 2).toBe(0);
  });

  it('ends at the note end when the offset is near it', () => {
    const content = 'x'.repeat(1_000_000);
    const { excerpt } = noteExcerpt(content, 999_999, 100_000);
    expect(excerpt).toEqual({ start: 900_000, end: 1_000_000, totalChars: 1_000_000 });
  });
});
