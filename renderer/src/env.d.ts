/// <reference types="svelte" />
import type { ApiEvent, Envelope } from './contract.ts';

/** What the Electron preload exposes on `window.driftless`; absent in web mode. */
export interface DriftlessBridge {
  call(method: string, args: unknown): Promise<Envelope<unknown>>;
  onEvent(listener: (event: ApiEvent) => void): () => void;
  /** Opens the native folder picker; resolves to the chosen path, or null when cancelled. */
  pickFolder?: () => Promise<string | null>;
}

declare global {
  interface Window {
    driftless?: DriftlessBridge;
  }
}
