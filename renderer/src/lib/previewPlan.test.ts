import { describe, expect, it } from 'vitest';
import type { NoteContent } from '../contract.ts';
import {
  htmlNesting,
  markdownDelimiters,
  markdownNesting,
  MAX_RENDERED_NESTING,
  previewPlan,
} from './previewPlan.ts';

const note = (format: NoteContent['format'], content: string, excerpt?: NoteContent['excerpt']) =>
  ({ folderId: 'f', notePath: 'n', title: 'n', format, content, modifiedMs: 0, excerpt }) as NoteContent;

describe('previewPlan', () => {
  it('renders ordinary Markdown and HTML', () => {
    expect(previewPlan(note('markdown', '# A\n\n- one\n  - two\n    - three\n> quote'))).toEqual({
      as: 'markup',
    });
    expect(previewPlan(note('html', '<div><p>Hi<br><img src="x"></p></div>'))).toEqual({ as: 'markup' });
  });

  it('renders a table of thousands of rows: its pipes are cells, not pairs to match', () => {
    const rows = Array.from({ length: 2000 }, (_, r) => `| r${r}a | r${r}b | r${r}c |`).join('\n');
    expect(previewPlan(note('markdown', `| a | b | c |\n| --- | --- | --- |\n${rows}`))).toEqual({
      as: 'markup',
    });
  });

  it('shows text and Org as text, without a notice', () => {
    expect(previewPlan(note('text', '<script>alert(1)</script>'))).toEqual({ as: 'text' });
    expect(previewPlan(note('org', '* Heading'))).toEqual({ as: 'text' });
  });

  it('shows an excerpt of a long note as text and says which part', () => {
    const plan = previewPlan(note('markdown', 'x', { start: 0, end: 200_000, totalChars: 52_428_800 }));
    expect(plan.as).toBe('text');
    expect(plan.notice).toContain('characters 1–200,000 of 52,428,800');
  });

  it('does not render Markdown lists or quotes nested too deeply', () => {
    const list = Array.from({ length: 3000 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n');
    expect(markdownNesting(list)).toBe(2999);
    expect(previewPlan(note('markdown', list))).toMatchObject({ as: 'text' });
    expect(previewPlan(note('markdown', list)).notice).toContain('2,999 levels deep');
    expect(markdownNesting(`${'>'.repeat(40)} deep quote`)).toBe(40);
    expect(markdownNesting(`\t\t- item`)).toBe(4);
    expect(markdownNesting(`      - three levels\n>>>> four quotes`)).toBe(4);
  });

  it('does not render HTML nested too deeply, counting only elements that nest', () => {
    const deep = '<div>'.repeat(MAX_RENDERED_NESTING + 1) + 'x' + '</div>'.repeat(MAX_RENDERED_NESTING + 1);
    expect(htmlNesting(deep)).toBe(MAX_RENDERED_NESTING + 1);
    expect(previewPlan(note('html', deep)).as).toBe('text');
    expect(htmlNesting('<p>a<br/>b<br>c<img src=x></p><hr>')).toBe(1);
    expect(htmlNesting('<ul><li>1</li><li>2</li></ul>')).toBe(2);
  });
});

describe('previewPlan on hostile Markdown', () => {
  it('counts list markers on one line as nesting: 2,500 of them overflowed the stack', () => {
    const oneLine = `${'- '.repeat(2500)}x`;
    expect(markdownNesting(oneLine)).toBe(2499);
    expect(markdownNesting(`${'1. '.repeat(40)}x`)).toBe(39);
    expect(markdownNesting('- - - x')).toBe(2);
    expect(previewPlan(note('markdown', oneLine))).toMatchObject({ as: 'text' });
    expect(previewPlan(note('markdown', '- a\n  - b\n- *c* and **d**'))).toEqual({ as: 'markup' });
  });

  it('shows a paragraph of thousands of emphasis markers as text: it froze the window 30-40 s', () => {
    const emphasis = `${'*a '.repeat(20_000)}x`;
    expect(markdownDelimiters(emphasis)).toBe(20_000);
    const plan = previewPlan(note('markdown', emphasis));
    expect(plan).toMatchObject({ as: 'text', notice: expect.stringContaining('20,000 markup characters') });
    // The same characters spread over short paragraphs render.
    const spread = Array.from({ length: 200 }, () => '*a* '.repeat(10)).join('\n\n');
    expect(markdownDelimiters(spread)).toBe(20);
    expect(previewPlan(note('markdown', spread))).toEqual({ as: 'markup' });
  });
});
