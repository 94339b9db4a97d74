/**
 * The only bridge between the sandboxed search window and the app: `window.driftless` with `call`,
 * `onEvent` and `pickFolder`, nothing else. Sandboxed preloads are CommonJS and may require only
 * 'electron', so this file imports nothing else at run time.
 */
import type { IpcRendererEvent } from 'electron';
import type { ApiEvent, DriftlessBridge, Envelope } from '../core/service/contract.ts';
import { CALL_CHANNEL, EVENT_CHANNEL, PICK_FOLDER_CHANNEL } from './security.ts';

/** Electron's API in a preload, typed by Electron's own declarations. */
type ElectronRenderer = typeof import('electron');

// eslint-disable-next-line @typescript-eslint/no-require-imports -- sandboxed preloads cannot use import.
const { contextBridge, ipcRenderer } = require('electron') as ElectronRenderer;

// Typed by the contract's DriftlessBridge, the type the renderer reads `window.driftless` as.
const bridge: DriftlessBridge = {
  call: (method: string, args: unknown) =>
    ipcRenderer.invoke(CALL_CHANNEL, String(method), args) as Promise<Envelope<unknown>>,
  onEvent(listener: (event: ApiEvent) => void): () => void {
    // The IPC event object is never handed to the page: it carries the sender.
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload as ApiEvent);
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, forward);
  },
  pickFolder: () => ipcRenderer.invoke(PICK_FOLDER_CHANNEL) as Promise<string | null>,
};

contextBridge.exposeInMainWorld('driftless', bridge);
