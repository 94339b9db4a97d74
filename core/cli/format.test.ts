import { describe, expect, it } from 'vitest';
import { showHiddenCharacters, type SearchHit } from '../service/index.ts';
import {
  formatBytes,
  formatEta,
  formatFolders,
  formatReport,
  formatStatus,
  hitHeadline,
  renderSnippet,
  sanitize,
} from './format.ts';

describe('renderSnippet', () => {
  it('bolds highlighted ranges and keeps offsets across newlines', () => {
    expect(
      renderSnippet(
        'a\nbc def',
        [
          [2, 4],
          [5, 8],
        ],
        true,
      ),
    ).toBe('a \u001b[1mbc\u001b[22m \u001b[1mdef\u001b[22m');
    expect(renderSnippet('a\nbc def', [[2, 4]], false)).toBe('a bc def');
  });

  it('ignores overlapping and out-of-range highlights', () => {
    expect(
      renderSnippet(
        'abcdef',
        [
          [0, 3],
          [1, 2],
          [10, 12],
        ],
        true,
      ),
    ).toBe('\u001b[1mabc\u001b[22mdef');
  });

  it('neutralises terminal escape sequences from note text', () => {
    expect(sanitize('x\u001b[2Jy')).toBe('x [2Jy');
    // eslint-disable-next-line no-control-regex
    expect(renderSnippet('\u001b]0;title\u0007', [], true)).not.toMatch(/[\u0000-\u001f]/);
  });
});

describe('formatEta and formatBytes', () => {
  it('formats durations and sizes', () => {
    expect(formatEta(undefined)).toBe('?');
    expect(formatEta(12.4)).toBe('12s');
    expect(formatEta(185)).toBe('3m 05s');
    expect(formatEta(3720)).toBe('1h 02m');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
  });
});

describe('file names with hidden characters', () => {
  const hit: SearchHit = {
    folderId: 'f1',
    notePath: 'invoice\u202Egpj.exe.md',
    title: 'invoice\u202Egpj.exe',
    headingPath: [],
    snippet: 'text',
    highlights: [],
    score: 1,
    chunkId: 'c',
    start: 0,
    end: 4,
    encoderVersion: 'v0',
    modifiedMs: 0,
    tags: [],
    moreChunks: 0,
  };

  it('writes a right-to-left override out as \\u202E in headlines, folder lists and reports', () => {
    expect(hitHeadline(hit, new Map([['f1', 'notes']]))).toBe(
      'invoice\\u202Egpj.exe — notes/invoice\\u202Egpj.exe.md',
    );
    const folder = { id: 'f1', root: '/home/a/\u2067notes', notes: 1, chunks: 1, skipped: 1 };
    expect(formatFolders([folder])).toContain('/home/a/\\u2067notes');
    const report = {
      folderId: 'f1',
      added: 0,
      updated: 0,
      removed: 0,
      unchanged: 0,
      renamed: 0,
      skipped: [{ path: 'a\u200Fb.md', reason: 'empty' as const, message: 'Empty.' }],
      truncated: [],
    };
    expect(formatReport(report, folder)).toContain('a\\u200Fb.md: empty');
  });

  it('leaves ordinary names, accents and emoji joined by zero-width joiners alone', () => {
    for (const name of ['notes/café.md', 'family 👨\u200D👩\u200D👧.md', 'שלום.md'])
      expect(showHiddenCharacters(name)).toBe(name);
  });
});

describe('formatStatus', () => {
  it('names encoder versions whose rows dense search cannot reach, with the reason', () => {
    const text = formatStatus({
      dataDir: '/data',
      folders: 1,
      notes: 2,
      chunks: 3,
      currentVersion: 'v1',
      rowsByVersion: { v0: 2, v1: 1 },
      indexBytes: 1024,
      encoder: { backboneId: 'use-lite', dimensions: 512, runtime: 'cpu' },
      versionProblems: [
        { version: 'v0', problem: 'forward-v0.json refused: drift holds a non-finite value' },
      ],
    });
    expect(text).toContain('Versions:    v0: forward-v0.json refused: drift holds a non-finite value\n');
  });
  it('says which execution provider and training backend run, and why', () => {
    const text = formatStatus({
      dataDir: '/data',
      folders: 0,
      notes: 0,
      chunks: 0,
      currentVersion: 'v0',
      rowsByVersion: {},
      indexBytes: 0,
      encoder: {
        backboneId: 'use-lite',
        dimensions: 512,
        runtime: 'onnxruntime-node (cpu)',
        runtimeReason: 'CUDA (NVIDIA GPU): Failed to load shared library; running on the CPU',
      },
      trainingBackend: 'wasm',
      trainingBackendReason: 'GPU: none found, training on WebAssembly, 1 thread',
    });
    expect(text).toContain('Encoder:     use-lite, 512 dimensions, onnxruntime-node (cpu)\n');
    expect(text).toContain(
      'Inference:   CUDA (NVIDIA GPU): Failed to load shared library; running on the CPU\n',
    );
    expect(text).toContain('Training:    wasm (GPU: none found, training on WebAssembly, 1 thread)\n');
  });
});
