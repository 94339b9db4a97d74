import type { BrowserWindow } from 'electron';
import type { ElectronMain } from './electronApi.ts';
import { toggleWindow } from './appWindow.ts';

/** The tray icon and its menu: show/hide, start at login, quit. */
export function createTray(electron: ElectronMain, window: BrowserWindow, iconPath: string): void {
  const tray = new electron.Tray(electron.nativeImage.createFromPath(iconPath));
  tray.setToolTip('Driftless');
  tray.on('click', () => toggleWindow(window));
  tray.setContextMenu(
    electron.Menu.buildFromTemplate([
      { label: 'Show Driftless', click: () => toggleWindow(window) },
      {
        label: 'Start at login',
        type: 'checkbox',
        checked: electron.app.getLoginItemSettings().openAtLogin,
        click: (item) => electron.app.setLoginItemSettings({ openAtLogin: item.checked }),
      },
      { type: 'separator' },
      { label: 'Quit Driftless', click: () => electron.app.quit() },
    ]),
  );
}
