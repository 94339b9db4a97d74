/**
 * The only bridge between the sandboxed search window and the app: `window.driftless` with `call`,
 * `onEvent` and `pickFolder`, nothing else. Sandboxed preloads are CommonJS and may require only
 * 'electron', so this file imports nothing else at run time.
 */
import type { ApiEvent, DriftlessBridge, Envelope } from '../core/service/contract.ts';
import { CALL_CHANNEL, EVENT_CHANNEL, PICK_FOLDER_CHANNEL } from './security.ts';

interface PreloadElectron {
  contextBridge: { exposeInMainWorld(key: string, api: unknown): void };
  ipcRenderer: {
    invoke(channel: string, ...args: unknown[]): Promise<unknown>;
    on(channel: string, listener: (event: unknown, payload: unknown) => void): void;
    removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): void;
  };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- sandboxed preloads cannot use import.
const { contextBridge, ipcRenderer } = require('electron') as PreloadElectron;

// Typed by the contract's DriftlessBridge, the type the renderer reads `window.driftless` as.
const bridge: DriftlessBridge = {
  call: (method: string, args: unknown) =>
    ipcRenderer.invoke(CALL_CHANNEL, String(method), args) as Promise<Envelope<unknown>>,
  onEvent(listener: (event: ApiEvent) => void): () => void {
    // The IPC event object is never handed to the page: it carries the sender.
    const forward = (_event: unknown, payload: unknown) => listener(payload as ApiEvent);
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, forward);
  },
  pickFolder: () => ipcRenderer.invoke(PICK_FOLDER_CHANNEL) as Promise<string | null>,
};

contextBridge.exposeInMainWorld('driftless', bridge);
