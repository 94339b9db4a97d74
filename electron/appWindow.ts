import type { BrowserWindow, WebContents } from 'electron';
import type { ElectronMain } from './electronApi.ts';
import {
  isAllowedNavigation,
  isPermissionGranted,
  windowOpenPolicy,
  windowWebPreferences,
  withContentSecurityPolicy,
} from './security.ts';

export interface WindowPaths {
  preload: string;
  indexHtml: string;
  /** The loaded page as a URL, for navigation and sender checks. */
  indexUrl: string;
  icon: string;
}

/**
 * Applies the session-wide hardening once: the CSP header on every response, no permission grants
 * (camera, notifications, ...), and for every web contents no navigation, new windows or webviews.
 */
export function hardenSession(electron: ElectronMain, indexUrl: string): void {
  const session = electron.session.defaultSession;
  session.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) }),
  );
  // Requests (camera, notifications...) and checks (permissions.query, clipboard...) alike: the
  // search window needs no permission, so a hostile note's markup can obtain none.
  session.setPermissionRequestHandler((_contents, permission, callback) =>
    callback(isPermissionGranted(permission)),
  );
  session.setPermissionCheckHandler((_contents, permission) => isPermissionGranted(permission));
  electron.app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAllowedNavigation(url, indexUrl)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => windowOpenPolicy());
  });
}

/** Creates the search window; closing it hides it (the tray and shortcut bring it back). */
export function createSearchWindow(
  electron: ElectronMain,
  paths: WindowPaths,
  isQuitting: () => boolean,
): BrowserWindow {
  const window = new electron.BrowserWindow({
    width: 960,
    height: 680,
    show: false,
    title: 'Driftless',
    icon: paths.icon,
    backgroundColor: '#f7f7f5',
    webPreferences: windowWebPreferences(paths.preload),
  });
  window.once('ready-to-show', () => window.show());
  window.on('close', (event) => {
    if (isQuitting()) return;
    event.preventDefault();
    window.hide();
  });
  void window.loadFile(paths.indexHtml);
  return window;
}

/** Shows and focuses the window, or hides it when it is already in front. */
export function toggleWindow(window: BrowserWindow): void {
  if (window.isVisible() && window.isFocused()) return window.hide();
  window.show();
  window.focus();
}
