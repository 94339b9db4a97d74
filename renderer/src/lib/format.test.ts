import { describe, expect, it } from 'vitest';
import { describeImport } from './format.ts';

describe('describeImport', () => {
  it('says what a folder import is doing, for its row', () => {
    expect(describeImport({ state: 'queued', done: 0 })).toBe('Import queued');
    expect(describeImport({ state: 'running', phase: 'scan', done: 200 })).toBe(
      'Importing: looking for notes, 200 files found',
    );
    expect(describeImport({ state: 'running', phase: 'index', done: 64, total: 272, etaSeconds: 90 })).toBe(
      'Importing: 64 of 272 notes read, about 2 min left',
    );
    expect(describeImport({ state: 'paused', phase: 'index', done: 128, total: 272, etaSeconds: 9 })).toBe(
      'Import paused: 128 of 272 notes read',
    );
    expect(describeImport({ state: 'running', phase: 'waiting', done: 0 })).toBe(
      'Importing: waiting for another Driftless process to finish writing',
    );
    const holder =
      'another Driftless process (pid 123, `driftless add`: Import ~/notes, holding since 14:02)';
    expect(describeImport({ state: 'running', phase: 'waiting', detail: holder, done: 0 })).toBe(
      `Importing: waiting for ${holder} to finish writing`,
    );
  });
});
