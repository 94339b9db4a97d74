/**
 * The Electron main process, kept thin: one window, a tray icon, a global shortcut, and the core
 * running in a utility process. Every API call from the window goes through one IPC channel to
 * the core, which validates it; this file only relays and checks who is asking.
 */
import type { BrowserWindow, IpcMainInvokeEvent } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createSearchWindow, hardenSession, toggleWindow, type WindowPaths } from './appWindow.ts';
import { loadElectron, type ElectronMain } from './electronApi.ts';
import { CALL_CHANNEL, EVENT_CHANNEL, isTrustedSender, PICK_FOLDER_CHANNEL } from './security.ts';
import { createTray } from './tray.ts';
import { createWorkerClient, type WorkerClient } from './workerChannel.ts';

const DEFAULT_SHORTCUT = 'CommandOrControl+Shift+Space';

const electron = loadElectron();
const { app } = electron;
let quitting = false;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void app.whenReady().then(start);
}

async function start(): Promise<void> {
  const paths = resolvePaths(app.getAppPath());
  hardenSession(electron, paths.indexUrl);
  const core = startCore(electron, path.join(import.meta.dirname, 'worker.js'));
  const window = createSearchWindow(electron, paths, () => quitting);
  const shortcut = (accelerator: string | undefined) => registerShortcut(electron, window, accelerator);
  relayApi(electron, core, window, paths.indexUrl, shortcut);
  createTray(electron, window, paths.icon);
  app.on('second-instance', () => toggleWindow(window));
  app.on('activate', () => window.show());
  app.on('before-quit', () => (quitting = true));
  app.on('will-quit', () => electron.globalShortcut.unregisterAll());
  const settings = await core.call('getSettings', {});
  shortcut(settings.ok ? shortcutOf(settings.value) : undefined);
}

function resolvePaths(appRoot: string): WindowPaths & { icon: string } {
  const indexHtml = path.join(appRoot, 'renderer', 'dist', 'index.html');
  return {
    preload: path.join(import.meta.dirname, 'preload.cjs'),
    indexHtml,
    indexUrl: pathToFileURL(indexHtml).href,
    icon: path.join(appRoot, 'resources', 'icons', 'tray.png'),
  };
}

/** Forks the core; if it exits, pending and later calls fail with OFFLINE instead of hanging. */
function startCore(electron: ElectronMain, workerPath: string): WorkerClient {
  const child = electron.utilityProcess.fork(workerPath, [], {
    serviceName: 'Driftless core',
    env: process.env,
  });
  const client = createWorkerClient({
    postMessage: (message) => child.postMessage(message),
    onMessage(listener) {
      child.on('message', listener);
      return () => child.off('message', listener);
    },
  });
  child.on('exit', (code) => client.close(`The Driftless core stopped (exit code ${code}).`));
  followPower(electron, client);
  drainOnQuit(electron, client, () => child.kill());
  return client;
}

/** The core's scheduler honours "only on mains power"; only this process can see the power source. */
function followPower(electron: ElectronMain, core: WorkerClient): void {
  const { powerMonitor } = electron;
  core.setPower(powerMonitor.isOnBatteryPower());
  powerMonitor.on('on-battery', () => core.setPower(true));
  powerMonitor.on('on-ac', () => core.setPower(false));
}

/** Longest a quit waits for the core to close its index before stopping it anyway. */
const DRAIN_DEADLINE_MS = 10_000;

/**
 * Quitting asks the core to finish its writes and close the index, then stops it: a kill in the
 * middle of a write is recoverable, but costs a repair and a compaction at the next start.
 */
function drainOnQuit(electron: ElectronMain, core: WorkerClient, stop: () => void): void {
  let drained = false;
  electron.app.on('will-quit', (event) => {
    if (drained) return;
    event.preventDefault();
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, DRAIN_DEADLINE_MS).unref());
    void Promise.race([core.drain(), deadline]).finally(() => {
      drained = true;
      stop();
      electron.app.quit();
    });
  });
}

/**
 * The one API channel and the event channel, for senders the app created only. A saved shortcut
 * setting is applied here (saved in this window or, told by settings-changed, anywhere), since only
 * the main process can register global shortcuts.
 */
function relayApi(
  electron: ElectronMain,
  core: WorkerClient,
  window: BrowserWindow,
  indexUrl: string,
  onShortcut: (accelerator: string | undefined) => void,
): void {
  const trusted = (event: IpcMainInvokeEvent) =>
    isTrustedSender(
      {
        fromAppWindow: electron.BrowserWindow.fromWebContents(event.sender) === window,
        frameUrl: event.senderFrame?.url,
      },
      indexUrl,
    );
  electron.ipcMain.handle(CALL_CHANNEL, async (event, method, args) => {
    if (!trusted(event) || typeof method !== 'string') {
      return { ok: false, error: { code: 'FORBIDDEN', message: 'This window may not call Driftless.' } };
    }
    const envelope = await core.call(method, args);
    if (method === 'updateSettings' && envelope.ok) onShortcut(shortcutOf(envelope.value));
    return envelope;
  });
  electron.ipcMain.handle(PICK_FOLDER_CHANNEL, async (event) => {
    if (!trusted(event)) return null;
    const result = await electron.dialog.showOpenDialog(window, {
      title: 'Add a folder of notes',
      properties: ['openDirectory'],
    });
    return result.canceled ? null : (result.filePaths[0] ?? null);
  });
  core.onEvent((event) => {
    if (!window.webContents.isDestroyed()) window.webContents.send(EVENT_CHANNEL, event);
    // Settings saved by another process too (`driftless settings set`): the shortcut follows them.
    if (event.type === 'settings-changed')
      void core
        .call('getSettings', {})
        .then((settings) => settings.ok && onShortcut(shortcutOf(settings.value)))
        // A core that stopped answering keeps the shortcut registered before.
        .catch(() => undefined);
  });
}

/** Registers the show/hide shortcut, replacing the previous one; falls back to the default. */
function registerShortcut(
  electron: ElectronMain,
  window: BrowserWindow,
  accelerator: string | undefined,
): void {
  const toggle = () => toggleWindow(window);
  electron.globalShortcut.unregisterAll();
  if (accelerator && electron.globalShortcut.register(accelerator, toggle)) return;
  electron.globalShortcut.register(DEFAULT_SHORTCUT, toggle);
}

function shortcutOf(settings: unknown): string | undefined {
  const value = (settings as { shortcut?: unknown } | undefined)?.shortcut;
  return typeof value === 'string' ? value : undefined;
}
