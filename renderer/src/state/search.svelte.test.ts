import { describe, expect, it } from 'vitest';
import type { DriftlessApi, SearchHit } from '../contract.ts';
import { SearchState } from './search.svelte.ts';

const hit = (notePath: string): SearchHit => ({
  folderId: 'f1',
  notePath,
  title: notePath,
  headingPath: [],
  snippet: notePath,
  highlights: [],
  score: 1,
  chunkId: `c-${notePath}`,
  start: 0,
  end: 1,
  modifiedMs: 0,
  tags: [],
  encoderVersion: 'v1',
  moreChunks: 0,
});

/** The API at the window's boundary: answers searches from a table and records feedback calls. */
function fakeApi(results: Record<string, SearchHit[]>, options: { failFeedback?: boolean } = {}) {
  const feedback: unknown[] = [];
  const api = {
    search: async ({ query }: { query: string }) => ({
      query,
      hits: results[query] ?? [],
      related: results[`related:${query}`] ?? [],
      tookMs: 1,
      versionsSearched: [],
    }),
    recordFeedback: async (args: unknown) => {
      if (options.failFeedback) throw Object.assign(new Error('disk full'), { code: 'IO' });
      feedback.push(args);
      return { recorded: true };
    },
    getNote: async ({ folderId, notePath }: { folderId: string; notePath: string }) => ({
      folderId,
      notePath,
      title: notePath,
      format: 'markdown' as const,
      content: `# ${notePath}`,
      modifiedMs: 0,
    }),
  };
  return { api: api as unknown as DriftlessApi, feedback };
}

describe('SearchState', () => {
  it('runs the query and selects the first result', async () => {
    const search = new SearchState(fakeApi({ tax: [hit('a.md'), hit('b.md')] }).api);
    search.query = 'tax';
    await search.run();
    expect(search.status).toBe('ready');
    expect(search.hits.map((h) => h.notePath)).toEqual(['a.md', 'b.md']);
    expect(search.selected).toBe(0);
  });

  it('names the query whose results are shown, and forgets it on clear', async () => {
    const search = new SearchState(fakeApi({ tax: [hit('a.md')] }).api);
    search.query = 'tax ';
    await search.run();
    expect(search.paintedQuery).toBe('tax');
    search.clear();
    expect(search.paintedQuery).toBe('');
  });

  it('keeps the selection within the results', async () => {
    const search = new SearchState(fakeApi({ q: [hit('a.md'), hit('b.md')] }).api);
    search.query = 'q';
    await search.run();
    search.move(5);
    expect(search.selected).toBe(1);
    search.move(-9);
    expect(search.selected).toBe(0);
  });

  it('drops the answer of a query that was superseded', async () => {
    let answerOld!: () => void;
    const oldAnswered = new Promise<void>((resolve) => (answerOld = resolve));
    const api = {
      search: async ({ query }: { query: string }) => {
        if (query === 'old') await oldAnswered;
        return { query, hits: [hit(`${query}.md`)], related: [], tookMs: 1, versionsSearched: [] };
      },
    } as unknown as DriftlessApi;
    const search = new SearchState(api);
    search.query = 'old';
    const slow = search.run();
    search.query = 'new';
    await search.run();
    answerOld();
    await slow;
    expect(search.hits.map((h) => h.notePath)).toEqual(['new.md']);
  });

  it('records an open with the ranked list shown and loads the preview', async () => {
    const { api, feedback } = fakeApi({ q: [hit('a.md'), hit('b.md')] });
    const search = new SearchState(api);
    search.query = 'q';
    await search.run();
    search.move(1);
    await search.open();
    expect(search.preview?.note?.notePath).toBe('b.md');
    expect(feedback).toEqual([
      expect.objectContaining({
        kind: 'open',
        notePath: 'b.md',
        shown: ['f1/a.md', 'f1/b.md'],
        encoderVersion: 'v1',
      }),
    ]);
  });

  it('floats pinned notes up and drops hidden ones', async () => {
    const search = new SearchState(fakeApi({ q: [hit('a.md'), hit('b.md'), hit('c.md')] }).api);
    search.query = 'q';
    await search.run();
    const [a, , c] = search.hits;
    await search.feedback(c!, 'pin');
    await search.feedback(a!, 'hide');
    expect(search.hits.map((h) => h.notePath)).toEqual(['c.md', 'b.md']);
  });

  it('labels feedback with the query that painted the result, not the text typed since', async () => {
    const { api, feedback } = fakeApi({ old: [hit('a.md'), hit('b.md')], new: [hit('c.md')] });
    const search = new SearchState(api, { debounceMs: 60_000 });
    search.query = 'old';
    await search.run();
    const [, shownB] = search.hits;
    search.type('new');
    await search.feedback(shownB!, 'up');
    await search.run();
    await search.feedback(shownB!, 'down');
    expect(feedback).toEqual([
      expect.objectContaining({ query: 'old', kind: 'up', notePath: 'b.md', shown: ['f1/a.md', 'f1/b.md'] }),
      expect.objectContaining({
        query: 'old',
        kind: 'down',
        notePath: 'b.md',
        shown: ['f1/a.md', 'f1/b.md'],
      }),
    ]);
  });

  it('keeps how the painted query was understood, and tells a bad query from a failed search', async () => {
    const chips = [{ kind: 'after' as const, label: 'after 2024-05-01' }];
    const api = {
      search: async ({ query }: { query: string }) => {
        if (query === 'after:notadate')
          throw Object.assign(new Error('after:notadate is not a date'), { code: 'INVALID_ARGUMENT' });
        if (query === 'down') throw Object.assign(new Error('index closed'), { code: 'CONFLICT' });
        return {
          query,
          hits: [hit('a.md')],
          related: [],
          understood: chips,
          tookMs: 1,
          versionsSearched: [],
        };
      },
    } as unknown as DriftlessApi;
    const search = new SearchState(api);
    search.query = 'x after:2024-05-01';
    await search.run();
    expect(search.understood).toEqual(chips);
    search.query = 'after:notadate';
    await search.run();
    expect([search.status, search.errorInQuery, search.error, search.understood]).toEqual([
      'error',
      true,
      'after:notadate is not a date',
      [],
    ]);
    search.query = 'down';
    await search.run();
    expect(search.errorInQuery).toBe(false);
  });

  it('loads kept pins and hides, undoes a hide and lists hidden notes', async () => {
    const { api, feedback } = fakeApi({ q: [hit('a.md'), hit('b.md'), hit('c.md')] });
    const cleared: unknown[] = [];
    const withMarks = Object.assign(api, {
      listMarks: async () => [{ folderId: 'f1', notePath: 'c.md', kind: 'pin', atMs: 1 }],
      clearMark: async (note: unknown) => (cleared.push(note), { cleared: true }),
    }) as unknown as DriftlessApi;
    const search = new SearchState(withMarks);
    await search.loadMarks();
    search.query = 'q';
    await search.run();
    expect(search.hits.map((h) => h.notePath)).toEqual(['c.md', 'a.md', 'b.md']);
    await search.feedback(search.hits[1]!, 'hide');
    expect(search.hits.map((h) => h.notePath)).toEqual(['c.md', 'b.md']);
    expect(search.hidden.map((m) => m.notePath)).toEqual(['a.md']);
    expect(search.justHidden?.notePath).toBe('a.md');
    await search.unmark(search.justHidden!);
    expect([search.hidden, search.justHidden]).toEqual([[], undefined]);
    expect(search.hits.map((h) => h.notePath)).toEqual(['c.md', 'a.md', 'b.md']);
    await search.feedback(search.hits[0]!, 'pin');
    expect(search.isPinned(search.hits[0]!)).toBe(false);
    expect(cleared).toEqual([
      { folderId: 'f1', notePath: 'a.md' },
      { folderId: 'f1', notePath: 'c.md' },
    ]);
    expect(feedback).toEqual([expect.objectContaining({ kind: 'hide', notePath: 'a.md' })]);
  });

  it('undoes the mark and explains when feedback cannot be saved', async () => {
    const search = new SearchState(fakeApi({ q: [hit('a.md')] }, { failFeedback: true }).api);
    search.query = 'q';
    await search.run();
    await search.feedback(search.hits[0]!, 'up');
    expect(search.markOf(hit('a.md'))).toBeUndefined();
    expect(search.actionError).toContain('disk full');
  });

  it('clears the box, results and preview', async () => {
    const search = new SearchState(fakeApi({ q: [hit('a.md')] }).api);
    search.query = 'q';
    await search.run();
    await search.open();
    search.clear();
    expect([search.query, search.hits.length, search.preview, search.status]).toEqual([
      '',
      0,
      undefined,
      'idle',
    ]);
  });

  it('searches in the mode the settings remember, and remembers a new choice', async () => {
    const modes: unknown[] = [];
    const saved: unknown[] = [];
    let remembered = 'text';
    const { api } = fakeApi({ q: [hit('a.md')] });
    const withSettings = Object.assign(api, {
      search: async (args: { query: string; mode?: string }) => {
        modes.push(args.mode);
        return { query: args.query, hits: [hit('a.md')], tookMs: 1, versionsSearched: [] };
      },
      getSettings: async () => ({ searchMode: remembered }),
      updateSettings: async ({ settings }: { settings: { searchMode: string } }) => {
        saved.push(settings);
        remembered = settings.searchMode;
        return { searchMode: remembered };
      },
    }) as unknown as DriftlessApi;
    const search = new SearchState(withSettings);
    await search.loadMode();
    expect(search.mode).toBe('text');
    search.query = 'q';
    await search.run();
    await search.setMode('dense');
    expect(modes).toEqual(['text', 'dense']);
    expect(saved).toEqual([{ searchMode: 'dense' }]);
    const reopened = new SearchState(withSettings);
    await reopened.loadMode();
    expect(reopened.mode).toBe('dense');
  });

  it('follows a mode changed elsewhere and searches again, but not while its own choice is saving', async () => {
    const modes: unknown[] = [];
    let finishSave: () => void = () => undefined;
    const { api } = fakeApi({});
    const withSettings = Object.assign(api, {
      search: async (args: { query: string; mode?: string }) => {
        modes.push(args.mode);
        return { query: args.query, hits: [hit('a.md')], tookMs: 1, versionsSearched: [] };
      },
      updateSettings: () => new Promise((resolve) => (finishSave = () => resolve({}))),
    }) as unknown as DriftlessApi;
    const search = new SearchState(withSettings);
    search.query = 'q';
    await search.followMode('text');
    expect(search.mode).toBe('text');
    expect(modes).toEqual(['text']);

    const choosing = search.setMode('dense');
    await search.followMode('text');
    expect(search.mode).toBe('dense');
    finishSave();
    await choosing;
    expect(modes).toEqual(['text', 'dense']);
  });

  it('keeps the chosen mode for this window when it cannot be saved', async () => {
    const { api } = fakeApi({});
    const failing = Object.assign(api, {
      updateSettings: async () => {
        throw Object.assign(new Error('disk full'), { code: 'IO' });
      },
    }) as unknown as DriftlessApi;
    const search = new SearchState(failing);
    await search.setMode('text');
    expect(search.mode).toBe('text');
    expect(search.modeError).toContain('disk full');
  });

  it('lists 30 results and says there are more when the search found 31', async () => {
    const many = Array.from({ length: 31 }, (_, i) => hit(`n${i}.md`));
    const search = new SearchState(fakeApi({ tax: many }).api);
    search.query = 'tax';
    await search.run();
    expect(search.hits).toHaveLength(30);
    expect(search.capped).toBe(true);
    search.query = 'tax';
    search.clear();
    expect(search.capped).toBe(false);
  });

  it('names encoder versions only when the notes on screen come from more than one', async () => {
    const v0 = { ...hit('old.md'), encoderVersion: 'v0' };
    const search = new SearchState(
      fakeApi({ same: [hit('a.md'), hit('b.md')], mixed: [hit('a.md')], 'related:mixed': [v0] }).api,
    );
    search.query = 'same';
    await search.run();
    expect(search.mixedVersions).toBe(false);
    search.query = 'mixed';
    await search.run();
    expect(search.mixedVersions).toBe(true);
  });

  it('keeps loosely related notes apart from the results', async () => {
    const search = new SearchState(fakeApi({ tax: [hit('a.md')], 'related:tax': [hit('r.md')] }).api);
    search.query = 'tax';
    await search.run();
    expect(search.hits.map((h) => h.notePath)).toEqual(['a.md']);
    expect(search.related.map((h) => h.notePath)).toEqual(['r.md']);
    search.move(1);
    expect(search.active?.notePath).toBe('r.md');
    expect(search.activeId).toBe('related-0');
    search.move(1);
    expect(search.activeId).toBe('related-0');
  });

  it('Esc empties the box but keeps the preview, then closes it, then has nothing to do', async () => {
    const search = new SearchState(fakeApi({ tax: [hit('a.md'), hit('b.md')] }).api);
    search.query = 'tax';
    await search.run();
    search.move(1);
    await search.open();
    expect(search.preview?.hit.notePath).toBe('b.md');
    expect(search.escape()).toBe(true);
    expect(search.query).toBe('');
    expect(search.hits).toEqual([]);
    expect(search.preview?.hit.notePath).toBe('b.md');
    expect(search.escape()).toBe(true);
    expect(search.preview).toBeUndefined();
    expect(search.escape()).toBe(false);
  });
});
