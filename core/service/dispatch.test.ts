import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { linearAppOptions } from '../adapt/testing/index.ts';
import { openApp, type App } from '../app/index.ts';
import { DriftlessError } from '../base/index.ts';
import { createApiClient } from './client.ts';
import { dispatch, isApiMethod } from './dispatch.ts';

/** Dispatch in front of the real app: a temporary data folder, real LanceDB, the fixture encoder. */
let root: string;
let notesDir: string;
let app: App;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-dispatch-'));
  notesDir = path.join(root, 'notes');
  await fs.mkdir(notesDir);
  await fs.writeFile(path.join(notesDir, 'taxes.md'), '# Taxes\n\nFile the tax return in April.\n');
  app = await openApp({ dataDir: path.join(root, 'data'), ...linearAppOptions() });
});

afterEach(async () => {
  await app.close();
  await fs.rm(root, { recursive: true, force: true });
});

describe('dispatch', () => {
  it('rejects unknown and inherited method names', async () => {
    for (const method of ['nope', '__proto__', 'toString', 'constructor']) {
      const envelope = await dispatch(app.api, method, {});
      expect(envelope).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    }
    expect(isApiMethod('search')).toBe(true);
  });

  it('validates arguments against the schema and names the failing field', async () => {
    const envelope = await dispatch(app.api, 'search', { query: 'x', limit: 5000 });
    expect(envelope.ok).toBe(false);
    if (envelope.ok) return;
    expect(envelope.error.code).toBe('INVALID_ARGUMENT');
    expect(envelope.error.message).toBe('The number of results must be at most 200.');
    expect(envelope.error.details?.issues).toEqual([expect.objectContaining({ path: 'limit' })]);
  });

  it('says what is wrong with an argument in a sentence for people, not in schema terms', async () => {
    const refused = async (method: string, args: unknown) => {
      const envelope = await dispatch(app.api, method, args);
      if (envelope.ok) throw new Error(`${method} was accepted`);
      return envelope.error;
    };
    const cases: Array<[string, unknown, string]> = [
      ['search', { query: 'x'.repeat(2001) }, 'The search is too long: at most 2000 characters.'],
      ['search', { query: 'x', limit: 0 }, 'The number of results must be at least 1.'],
      ['search', { query: 'x', limit: 1.5 }, 'The number of results must be a whole number.'],
      ['addFolder', { path: '' }, 'The folder path cannot be empty.'],
      ['search', { query: 'x', mode: 'fuzzy' }, 'The search mode must be one of: hybrid, dense, text.'],
      ['status', { extra: 1 }, 'Unknown field: extra.'],
    ];
    for (const [method, args, sentence] of cases)
      expect((await refused(method, args)).message).toBe(sentence);

    // A blank number in the settings form is named, with the path the window shows it beside.
    const blank = await refused('updateSettings', { settings: { maxFileBytes: null, theme: 'blue' } });
    expect(blank.message).toBe('The theme must be one of: system, light, dark.');
    expect(blank.details?.issues).toEqual([
      { path: 'settings.theme', message: 'The theme must be one of: system, light, dark.' },
      { path: 'settings.maxFileBytes', message: 'The largest file imported (in bytes) needs a number.' },
    ]);
    for (const [, , sentence] of cases) expect(sentence).not.toMatch(/Invalid|Too big|expected/);
  });

  it('rejects unknown keys and non-object arguments', async () => {
    expect(await dispatch(app.api, 'status', { extra: 1 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    });
    expect(await dispatch(app.api, 'status', undefined)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    });
  });

  it('wraps results and keeps error codes from the implementation', async () => {
    const added = await dispatch(app.api, 'addFolder', { path: notesDir });
    expect(added).toMatchObject({ ok: true, value: { root: notesDir } });
    await app.idle();
    const found = await dispatch(app.api, 'search', { query: 'tax' });
    expect(found).toMatchObject({ ok: true, value: { hits: [{ notePath: 'taxes.md', title: 'Taxes' }] } });
    const missing = await dispatch(app.api, 'removeFolder', { folderId: 'missing' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('turns plain errors into INTERNAL envelopes', async () => {
    const api = { ...app.api, status: async () => Promise.reject(new TypeError('boom')) };
    expect(await dispatch(api, 'status', {})).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'boom' },
    });
  });
});

describe('createApiClient', () => {
  it('round-trips values and rebuilds errors with their code', async () => {
    const client = createApiClient((method, args) => dispatch(app.api, method, args));
    const status = await client.status({});
    expect(status.folders).toBe(0);
    const error = await client.removeFolder({ folderId: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DriftlessError);
    expect((error as DriftlessError).code).toBe('NOT_FOUND');
  });

  it('exposes only contract methods and is not thenable', async () => {
    const client = createApiClient(async () => ({ ok: true, value: null }));
    expect('then' in client).toBe(false);
    expect(Object.keys(client)).toContain('search');
    expect(await Promise.resolve(client)).toBe(client);
  });

  it('maps transport failures to DriftlessError', async () => {
    const client = createApiClient(async () => Promise.reject(new Error('pipe closed')));
    const error = await client.status({}).catch((e: unknown) => e);
    expect(DriftlessError.from(error).code).toBe('INTERNAL');
    expect(error).toBeInstanceOf(DriftlessError);
  });
});
