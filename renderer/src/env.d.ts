/// <reference types="svelte" />
import type { DriftlessBridge } from './contract.ts';

declare global {
  interface Window {
    /** The Electron preload's bridge (core/service/contract.ts); absent in web mode. */
    driftless?: DriftlessBridge;
  }
}
