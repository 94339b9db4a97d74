/**
 * The window's security policy as plain data and pure functions, so it is unit-tested without
 * Electron: web preferences, the Content-Security-Policy, and which navigations and senders pass.
 */
import { CONTENT_SECURITY_POLICY } from '../core/service/contentSecurityPolicy.ts';

// The one policy of the window, shared with the web mode's headers and index.html's <meta>.
export { CONTENT_SECURITY_POLICY };

/** The channel the renderer calls the API on, and the one events come back on. */
export const CALL_CHANNEL = 'driftless:call';
export const EVENT_CHANNEL = 'driftless:event';
export const PICK_FOLDER_CHANNEL = 'driftless:pick-folder';

/** The subset of Electron's WebPreferences this app sets; every field is a hardening choice. */
export interface HardenedWebPreferences {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  webviewTag: false;
  spellcheck: false;
  navigateOnDragDrop: false;
}

/** Web preferences for the search window; only the preload differs between builds. */
export function windowWebPreferences(preload: string): HardenedWebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    navigateOnDragDrop: false,
  };
}

/** Response headers with the app's CSP replacing any the response carried (any header case). */
export function withContentSecurityPolicy(
  headers: Record<string, string[] | string> | undefined,
): Record<string, string[] | string> {
  const kept = Object.entries(headers ?? {}).filter(
    ([name]) => name.toLowerCase() !== 'content-security-policy',
  );
  return { ...Object.fromEntries(kept), 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] };
}

/**
 * Whether the window may navigate to `url`: only to the app's own page (a reload), never to
 * another file, site or scheme. `appUrl` is the loaded index page.
 */
export function isAllowedNavigation(url: string, appUrl: string): boolean {
  return sameDocument(url, appUrl);
}

/**
 * Whether the window may have `permission` (a request or a check): never. It shows notes and calls
 * the app's API; camera, microphone, notifications, clipboard reads, geolocation, HID, serial, USB
 * and the rest would only serve a hostile note.
 */
export function isPermissionGranted(_permission: string): false {
  return false;
}

/** What `setWindowOpenHandler` answers: the search window never opens other windows. */
export function windowOpenPolicy(): { action: 'deny' } {
  return { action: 'deny' };
}

/**
 * Whether an IPC message comes from the app's own page: the sending frame must be a window the app
 * created (`fromAppWindow`) and show the app's index page, so an injected frame or a page that
 * navigated elsewhere cannot reach the API.
 */
export function isTrustedSender(
  sender: { fromAppWindow: boolean; frameUrl: string | undefined },
  appUrl: string,
): boolean {
  return sender.fromAppWindow && sender.frameUrl !== undefined && sameDocument(sender.frameUrl, appUrl);
}

function sameDocument(url: string, appUrl: string): boolean {
  const a = parseUrl(url);
  const b = parseUrl(appUrl);
  if (!a || !b) return false;
  return a.protocol === b.protocol && a.host === b.host && a.pathname === b.pathname;
}

function parseUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}
