import { describe, expect, it } from 'vitest';
import { throttleProgress, type Progress } from './progress.ts';

describe('throttleProgress', () => {
  it('passes a report 250 ms after the last one passed, and each phase start, new total and end at once', () => {
    let nowMs = 0;
    const sent: Progress[] = [];
    const progress = throttleProgress((value) => sent.push(value), { now: () => nowMs });
    const at = (ms: number, value: Progress) => {
      nowMs = ms;
      progress.report(value);
    };
    at(0, { phase: 'scan', done: 0 });
    at(100, { phase: 'scan', done: 1 });
    at(249, { phase: 'scan', done: 2 });
    at(250, { phase: 'scan', done: 3 });
    at(260, { phase: 'scan', done: 4 });
    progress.flush();
    progress.flush();
    at(270, { phase: 'index', done: 0, total: 9 });
    at(280, { phase: 'index', done: 1, total: 9 });
    at(290, { phase: 'index', done: 1, total: 10 });
    at(300, { phase: 'index', done: 10, total: 10 });
    expect(sent).toEqual([
      { phase: 'scan', done: 0 },
      { phase: 'scan', done: 3 },
      { phase: 'scan', done: 4 },
      { phase: 'index', done: 0, total: 9 },
      { phase: 'index', done: 1, total: 10 },
      { phase: 'index', done: 10, total: 10 },
    ]);
  });
});
