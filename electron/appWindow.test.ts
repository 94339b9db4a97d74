import { describe, expect, it } from 'vitest';
import { hardenSession } from './appWindow.ts';
import type { ElectronMain } from './electronApi.ts';

// No Electron binary runs here: hardenSession gets the part of Electron's main API it touches, which
// records the handlers it installs, and the test asks those handlers what Electron would ask them.

type RequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
type CheckHandler = (contents: unknown, permission: string) => boolean;

function recordingElectron() {
  const installed: { request?: RequestHandler; check?: CheckHandler } = {};
  const electron = {
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: () => undefined },
        setPermissionRequestHandler: (handler: RequestHandler) => (installed.request = handler),
        setPermissionCheckHandler: (handler: CheckHandler) => (installed.check = handler),
      },
    },
    app: { on: () => undefined },
  } as unknown as ElectronMain;
  return { electron, installed };
}

const PERMISSIONS = [
  'media',
  'notifications',
  'geolocation',
  'clipboard-read',
  'clipboard-sanitized-write',
  'openExternal',
  'fullscreen',
  'hid',
  'serial',
  'usb',
  'midiSysex',
  'pointerLock',
  'window-management',
  'unknown-future-permission',
];

describe('hardenSession', () => {
  it('denies every permission request and every permission check', async () => {
    const { electron, installed } = recordingElectron();
    hardenSession(electron, 'file:///app/index.html');
    expect(installed.request).toBeTypeOf('function');
    expect(installed.check).toBeTypeOf('function');
    for (const permission of PERMISSIONS) {
      const granted = await new Promise<boolean>((resolve) => installed.request!({}, permission, resolve));
      expect(granted, permission).toBe(false);
      expect(installed.check!({}, permission), permission).toBe(false);
    }
  });
});
