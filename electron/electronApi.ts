/**
 * Electron's main-process module, typed by Electron's own declarations (electron.d.ts in the electron
 * package, a devDependency installed even where its binary cannot be downloaded).
 */
import { createRequire } from 'node:module';

export type ElectronMain = typeof import('electron');

/**
 * Electron's main-process module; only callable inside Electron. Required, not imported: the bundle
 * leaves 'electron' external, and Electron's runtime provides it.
 */
export function loadElectron(): ElectronMain {
  return createRequire(import.meta.url)('electron') as ElectronMain;
}
