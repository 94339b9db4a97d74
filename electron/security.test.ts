import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  isAllowedNavigation,
  isTrustedSender,
  windowOpenPolicy,
  windowWebPreferences,
  withContentSecurityPolicy,
} from './security.ts';

const APP_URL = 'file:///opt/Driftless/resources/app.asar/renderer/dist/index.html';

describe('windowWebPreferences', () => {
  it('isolates and sandboxes the renderer with only the preload bridging in', () => {
    const prefs = windowWebPreferences('/app/dist/electron/preload.cjs');
    expect(prefs).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
    });
  });
});

describe('CONTENT_SECURITY_POLICY', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((part) => {
      const [name, ...values] = part.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );

  it('allows only the app own scripts: no inline code, no eval, no remote origins', () => {
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
  });

  it('blocks plugins, base rewriting and framing', () => {
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  });
});

describe('withContentSecurityPolicy', () => {
  it('replaces a CSP header in any case and keeps the other headers', () => {
    const headers = withContentSecurityPolicy({
      'content-security-policy': ['default-src *'],
      'Content-Type': ['text/html'],
    });
    expect(headers).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    });
  });

  it('adds the header when the response had none', () => {
    expect(withContentSecurityPolicy(undefined)).toEqual({
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    });
  });
});

describe('isAllowedNavigation', () => {
  it('allows reloading the app page, also with a query or hash', () => {
    expect(isAllowedNavigation(APP_URL, APP_URL)).toBe(true);
    expect(isAllowedNavigation(`${APP_URL}?x=1#top`, APP_URL)).toBe(true);
  });

  it.each([
    'https://example.com/',
    'http://127.0.0.1:8080/index.html',
    'file:///etc/passwd',
    'file:///opt/Driftless/resources/app.asar/renderer/dist/other.html',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'not a url',
  ])('blocks %s', (url) => {
    expect(isAllowedNavigation(url, APP_URL)).toBe(false);
  });
});

describe('windowOpenPolicy', () => {
  it('denies every new window', () => {
    expect(windowOpenPolicy()).toEqual({ action: 'deny' });
  });
});

describe('isTrustedSender', () => {
  it('accepts the app page in an app window', () => {
    expect(isTrustedSender({ fromAppWindow: true, frameUrl: APP_URL }, APP_URL)).toBe(true);
  });

  it('rejects a window the app did not create', () => {
    expect(isTrustedSender({ fromAppWindow: false, frameUrl: APP_URL }, APP_URL)).toBe(false);
  });

  it('rejects a frame showing another page, or a frame already gone', () => {
    expect(isTrustedSender({ fromAppWindow: true, frameUrl: 'https://evil.example/' }, APP_URL)).toBe(false);
    expect(isTrustedSender({ fromAppWindow: true, frameUrl: undefined }, APP_URL)).toBe(false);
  });
});
