import { readFile } from 'node:fs/promises';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { DomUtils, parseDocument } from 'htmlparser2';
import { createServer } from 'vite';
import { describe, expect, it } from 'vitest';
import { setSecurityHeaders } from '../core/http/headers.ts';
import { CONTENT_SECURITY_POLICY, META_CONTENT_SECURITY_POLICY } from '../core/service/index.ts';
import { withContentSecurityPolicy } from './security.ts';

const rendererRoot = fileURLToPath(new URL('../renderer/', import.meta.url));

/** index.html as the renderer's own Vite config turns it into the page both modes load. */
async function builtIndexHtml(): Promise<string> {
  const server = await createServer({
    configFile: `${rendererRoot}vite.config.ts`,
    server: { middlewareMode: true, hmr: false, ws: false },
    logLevel: 'silent',
  });
  try {
    return await server.transformIndexHtml(
      '/index.html',
      await readFile(`${rendererRoot}index.html`, 'utf8'),
    );
  } finally {
    await server.close();
  }
}

describe('the window Content-Security-Policy', () => {
  it('is the same policy in Electron, in the web mode and in index.html', async () => {
    expect(withContentSecurityPolicy({})['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);

    const response = new ServerResponse(new IncomingMessage(new Socket()));
    setSecurityHeaders(response);
    expect(response.getHeader('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY);

    const html = await builtIndexHtml();
    const policies = DomUtils.getElementsByTagName('meta', parseDocument(html))
      .filter((meta) => meta.attribs['http-equiv'] === 'Content-Security-Policy')
      .map((meta) => meta.attribs.content);
    expect(policies).toEqual([META_CONTENT_SECURITY_POLICY]);
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script'));
  });

  it('leaves out of the meta tag only what a meta tag cannot carry', () => {
    expect(`${META_CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`).toBe(CONTENT_SECURITY_POLICY);
  });
});
