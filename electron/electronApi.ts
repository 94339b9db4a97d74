/**
 * The slice of Electron's main-process API this shell uses, declared here so the shell typechecks
 * and bundles on machines where the Electron package (and its types) could not be installed.
 * Loaded at run time with `require('electron')`, which Electron provides inside its own runtime.
 */
import { createRequire } from 'node:module';
import type { HardenedWebPreferences } from './security.ts';

export interface IpcMainInvokeEvent {
  sender: WebContents;
  senderFrame: { url: string } | null;
}

export interface WebContents {
  send(channel: string, ...args: unknown[]): void;
  on(event: 'will-navigate', listener: (event: { preventDefault(): void }, url: string) => void): void;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): void;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  isDestroyed(): boolean;
}

export interface BrowserWindow {
  readonly webContents: WebContents;
  loadFile(path: string): Promise<void>;
  show(): void;
  hide(): void;
  focus(): void;
  isVisible(): boolean;
  isFocused(): boolean;
  on(event: 'close', listener: (event: { preventDefault(): void }) => void): void;
  once(event: 'ready-to-show', listener: () => void): void;
}

export interface BrowserWindowConstructor {
  new (options: {
    width: number;
    height: number;
    show: boolean;
    title: string;
    icon?: string;
    backgroundColor?: string;
    webPreferences: HardenedWebPreferences;
  }): BrowserWindow;
  fromWebContents(contents: WebContents): BrowserWindow | null;
}

export interface UtilityProcess {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): void;
  on(event: 'exit', listener: (code: number) => void): void;
  off(event: 'message', listener: (message: unknown) => void): void;
  kill(): boolean;
}

export interface MenuItemOptions {
  label?: string;
  type?: 'normal' | 'separator' | 'checkbox';
  checked?: boolean;
  click?: (item: { checked: boolean }) => void;
}

export interface ElectronMain {
  app: {
    requestSingleInstanceLock(): boolean;
    quit(): void;
    exit(code?: number): void;
    whenReady(): Promise<void>;
    getAppPath(): string;
    getPath(name: 'userData'): string;
    getLoginItemSettings(): { openAtLogin: boolean };
    setLoginItemSettings(settings: { openAtLogin: boolean }): void;
    on(event: 'second-instance' | 'activate' | 'before-quit', listener: () => void): void;
    on(event: 'will-quit', listener: (event: { preventDefault(): void }) => void): void;
    on(event: 'window-all-closed', listener: () => void): void;
    on(event: 'web-contents-created', listener: (event: unknown, contents: WebContents) => void): void;
  };
  BrowserWindow: BrowserWindowConstructor;
  ipcMain: {
    handle(
      channel: string,
      handler: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>,
    ): void;
  };
  session: {
    defaultSession: {
      webRequest: {
        onHeadersReceived(
          listener: (
            details: { responseHeaders?: Record<string, string[] | string> },
            callback: (response: { responseHeaders: Record<string, string[] | string> }) => void,
          ) => void,
        ): void;
      };
      setPermissionRequestHandler(
        handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void,
      ): void;
      /** Answers synchronous checks (`navigator.permissions.query`, clipboard, HID, serial...). */
      setPermissionCheckHandler(handler: (contents: unknown, permission: string) => boolean): void;
    };
  };
  globalShortcut: { register(accelerator: string, callback: () => void): boolean; unregisterAll(): void };
  Tray: new (image: unknown) => {
    setToolTip(text: string): void;
    setContextMenu(menu: unknown): void;
    on(event: 'click', listener: () => void): void;
  };
  Menu: { buildFromTemplate(template: MenuItemOptions[]): unknown };
  nativeImage: { createFromPath(path: string): unknown };
  dialog: {
    showOpenDialog(
      window: BrowserWindow,
      options: { title: string; properties: Array<'openDirectory'> },
    ): Promise<{ canceled: boolean; filePaths: string[] }>;
  };
  powerMonitor: {
    isOnBatteryPower(): boolean;
    on(event: 'on-ac' | 'on-battery', listener: () => void): void;
  };
  utilityProcess: {
    fork(
      modulePath: string,
      args: string[],
      options: { serviceName: string; env?: NodeJS.ProcessEnv },
    ): UtilityProcess;
  };
}

/** Electron's main-process module; only callable inside Electron. */
export function loadElectron(): ElectronMain {
  return createRequire(import.meta.url)('electron') as ElectronMain;
}
