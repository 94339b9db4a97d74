import { describe, expect, it } from 'vitest';
import type { DriftlessApi, Settings, StatusInfo } from '../contract.ts';
import { SettingsState } from './settings.svelte.ts';

const status = (trainingBackend?: string, trainingBackendReason?: string): StatusInfo => ({
  dataDir: '/data',
  folders: 0,
  notes: 0,
  chunks: 0,
  currentVersion: 'v0',
  rowsByVersion: {},
  indexBytes: 0,
  encoder: { backboneId: 'use-lite', dimensions: 512, runtime: 'onnxruntime-node (cpu)' },
  ...(trainingBackend ? { trainingBackend } : {}),
  ...(trainingBackendReason ? { trainingBackendReason } : {}),
});

function api(answer: () => Promise<StatusInfo>): DriftlessApi {
  return {
    getSettings: async () => ({ theme: 'dark' }) as Settings,
    status: answer,
  } as unknown as DriftlessApi;
}

describe('SettingsState', () => {
  it('loads the settings and what runs the encoder and its training', async () => {
    const settings = new SettingsState(api(async () => status('tensorflow (wasm)')));
    await settings.load();
    expect(settings.theme).toBe('dark');
    expect(settings.engine).toEqual({
      encoder: { backboneId: 'use-lite', dimensions: 512, runtime: 'onnxruntime-node (cpu)' },
      trainingBackend: 'tensorflow (wasm)',
    });
  });

  it('carries why that backend and provider run', async () => {
    const reason = 'GPU: none found, training on WebAssembly, 1 thread';
    const settings = new SettingsState(api(async () => status('wasm', reason)));
    await settings.load();
    expect(settings.engine?.trainingBackend).toBe('wasm');
    expect(settings.engine?.trainingBackendReason).toBe(reason);
  });

  it('asks again when an adaptation starts training and when it ends, not on every step', async () => {
    let calls = 0;
    const settings = new SettingsState(
      api(async () => {
        calls += 1;
        return status('wasm', `call ${calls}`);
      }),
    );
    await settings.load();
    const job = { id: 'j1', kind: 'adapt', label: 'Adapt', done: 0 } as const;
    settings.followTraining({ ...job, state: 'running', phase: 'train' });
    settings.followTraining({ ...job, state: 'running', phase: 'train', done: 3 });
    settings.followTraining({ ...job, state: 'finished', phase: 'train', done: 8 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(calls).toBe(3);
    expect(settings.engine?.trainingBackendReason).toBe('call 3');
  });

  it('still loads the settings when the status call fails', async () => {
    const settings = new SettingsState(
      api(async () => {
        throw new Error('offline');
      }),
    );
    await settings.load();
    expect(settings.status).toBe('ready');
    expect(settings.engine).toBeUndefined();
  });

  it('puts the reasons of a refused save beside their fields, and clears them on the next save', async () => {
    const refusal = Object.assign(new Error('The theme must be one of: system, light, dark.'), {
      code: 'INVALID_ARGUMENT',
      details: {
        issues: [
          { path: 'settings.theme', message: 'The theme must be one of: system, light, dark.' },
          { path: 'settings.maxFileBytes', message: 'The largest file imported (in bytes) needs a number.' },
        ],
      },
    });
    let refuse = true;
    const settings = new SettingsState({
      updateSettings: async () => {
        if (refuse) throw refusal;
        return { theme: 'light' } as Settings;
      },
    } as unknown as DriftlessApi);
    expect(await settings.save({})).toBe(false);
    expect(settings.fieldErrors).toEqual({
      theme: 'The theme must be one of: system, light, dark.',
      maxFileBytes: 'The largest file imported (in bytes) needs a number.',
    });
    expect(settings.error).toBe(
      'The settings were not saved: The theme must be one of: system, light, dark.',
    );
    refuse = false;
    expect(await settings.save({})).toBe(true);
    expect(settings.fieldErrors).toEqual({});
    expect(settings.savedAt).toBeDefined();
  });

  it("saves only the settings changed in this window, so another process's change elsewhere stays", async () => {
    const shown = { theme: 'system', searchMode: 'hybrid', ignore: [] } as unknown as Settings;
    const sent: unknown[] = [];
    const settings = new SettingsState({
      getSettings: async () => shown,
      status: async () => status(),
      updateSettings: async ({ settings: change }: { settings: Partial<Settings> }) => {
        sent.push(change);
        return { ...shown, ...change };
      },
    } as unknown as DriftlessApi);
    await settings.load();
    // The form sends every field; the theme is the only one changed here.
    expect(await settings.save({ ...shown, theme: 'dark' })).toBe(true);
    expect(sent).toEqual([{ theme: 'dark' }]);
  });

  it('takes settings changed elsewhere and starts the form again, once per change', async () => {
    let stored = { theme: 'system', searchMode: 'hybrid' } as unknown as Settings;
    const settings = new SettingsState({
      getSettings: async () => stored,
      status: async () => status(),
      updateSettings: async () => stored,
    } as unknown as DriftlessApi);
    expect(await settings.refresh()).toBeUndefined();
    await settings.load();
    expect(settings.revision).toBe(0);
    stored = { ...stored, searchMode: 'text' };
    expect((await settings.refresh())?.searchMode).toBe('text');
    expect(settings.settings?.searchMode).toBe('text');
    expect(settings.revision).toBe(1);
    await settings.refresh();
    expect(settings.revision).toBe(1);
  });
});
