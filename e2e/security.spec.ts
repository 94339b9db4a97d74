import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { addFolder, openWindow, openWithNotes } from './helpers.ts';
import { serverUrl } from './server.ts';
import { startServe } from './serverProcess.ts';

// Issue 17: a hostile note must not get the web mode's token to another server on 127.0.0.1 (one run
// by another local user), nor navigate the window anywhere. This file runs after searchWindow.spec.ts
// (alphabetical order); on its own it imports the fixture notes itself.

interface Seen {
  url: string;
  headers: http.IncomingHttpHeaders;
}

/** Another local user's server on another port of 127.0.0.1: it records every request it gets. */
interface Listener {
  readonly origin: string;
  readonly seen: Seen[];
  /** Resolves with the next request. */
  next(): Promise<Seen>;
  close(): Promise<void>;
}

async function startListener(): Promise<Listener> {
  const seen: Seen[] = [];
  const waiting: ((request: Seen) => void)[] = [];
  const server = http.createServer((req, res) => {
    const request = { url: req.url ?? '', headers: req.headers };
    seen.push(request);
    for (const resolve of waiting.splice(0)) resolve(request);
    res.writeHead(200, { 'Content-Type': 'text/html' }).end('<title>listener</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    seen,
    next: () => new Promise((resolve) => waiting.push(resolve)),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The token in the URL the server printed, wherever in the URL it rides. */
function printedToken(url: string): string {
  const token = /token=([\w-]+)/.exec(url)?.[1];
  if (!token) throw new Error(`no token in ${url}`);
  return token;
}

let listener: Listener;
test.beforeAll(async () => {
  listener = await startListener();
});
test.afterAll(async () => {
  await listener.close();
});

test('the token stays with its own server: another port on 127.0.0.1 gets no cookie and no token', async ({
  page,
  context,
}) => {
  await openWindow(page);
  const token = printedToken(serverUrl());
  // The token leaves the address bar (and so the history) as soon as the page has it.
  expect(page.url()).not.toContain(token);
  await expect(page.getByTestId('nav-folders')).toBeVisible();

  // What a hostile note's link would reach, had it navigated: a server on another local port.
  const other = await context.newPage();
  const request = listener.next();
  await other.goto(`${listener.origin}/steal`);
  const seen = await request;
  expect(seen.headers.cookie).toBeUndefined();
  expect(JSON.stringify(seen)).not.toContain(token);
  await other.close();

  // The window still works after a reload: the token is kept for this origin only.
  await page.reload();
  const listed = page.waitForResponse((response) => response.url().endsWith('/api/listFolders'));
  await page.getByTestId('nav-folders').click();
  expect((await listed).status()).toBe(200);
});

test('two servers in one browser keep their own credentials', async ({ page, context }) => {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-e2e-second-'));
  const second = await startServe('e2e/serveForTests.ts', dataDir);
  try {
    await openWindow(page);
    const secondPage = await context.newPage();
    await secondPage.goto(second.url);
    await expect(secondPage.getByTestId('search-input')).toBeVisible();
    // Each window, reloaded after the other signed in, still reaches its own API.
    for (const window of [page, secondPage]) {
      await window.reload();
      await expect(window.getByTestId('search-input')).toBeVisible();
      const listed = window.waitForResponse((response) => response.url().endsWith('/api/listFolders'));
      await window.getByTestId('nav-folders').click();
      expect((await listed).status()).toBe(200);
    }
  } finally {
    await second.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
});

/** A 1x1 PNG, shown at 240x120: the image the image map lies over. */
const PIXEL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

/** A note whose every link and resource points at the listener. */
function hostileLinksNote(origin: string): string {
  return `<!doctype html>
<html><head><title>Platypus links (hostile test note)</title></head><body>
<h1>Platypus links</h1>
<p>The platypus hunts by electroreception in muddy creeks at dusk.</p>
<map name="platypus-map"><area shape="rect" coords="0,0,240,120" href="${origin}/area" alt="map area"></map>
<p><img usemap="#platypus-map" width="240" height="120" alt="mapped image" src="${PIXEL}"></p>
<p><a href="${origin}/plain">plain link</a> and <a href="${origin}/blank" target="_blank">new window link</a></p>
<svg width="240" height="40"><a href="${origin}/svg-href"><rect width="240" height="40" fill="teal"/></a></svg>
<svg xmlns:xlink="http://www.w3.org/1999/xlink" width="240" height="40"><a xlink:href="${origin}/svg-xlink"><rect width="240" height="40" fill="olive"/></a></svg>
<video src="${origin}/video" poster="${origin}/poster" width="120" height="60"><source src="${origin}/video-source"><track src="${origin}/track"></video>
<audio src="${origin}/audio"><source src="${origin}/audio-source"></audio>
<picture><source srcset="${origin}/picture-source"><img src="${PIXEL}" srcset="${origin}/img-srcset 2x" alt="picture"></picture>
<table background="${origin}/table-background"><tr><td background="${origin}/cell-background">cell</td></tr></table>
<svg xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="40">
<filter id="platypus-filter"><feImage href="${origin}/feimage"/></filter>
<image href="${origin}/svg-image" width="40" height="40"/><image xlink:href="${origin}/svg-image-xlink" width="40" height="40"/>
<rect width="10" height="10" fill="url(${origin}/fill#paint)" filter="url(#platypus-filter)"/>
</svg>
</body></html>
`;
}

/** Searches until the note shows up (a folder added a moment ago is still importing), then previews it. */
async function previewNote(page: Page, query: string, title: string): Promise<void> {
  await page.getByTestId('nav-search').click();
  const input = page.getByTestId('search-input');
  const result = page.getByTestId('result').filter({ hasText: title }).first();
  await expect(async () => {
    await input.fill('');
    await input.fill(query);
    await expect(result).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 120_000 });
  await result.click();
  await expect(page.getByTestId('preview-body')).toContainText('electroreception');
}

test('no link in a note navigates the window or opens another, and no resource points outside', async ({
  page,
  context,
}) => {
  const notes = await fs.mkdtemp(path.join(os.tmpdir(), 'driftless-e2e-links-'));
  await fs.writeFile(path.join(notes, 'platypus-links.html'), hostileLinksNote(listener.origin));
  try {
    await openWithNotes(page);
    await addFolder(page, notes);
    await previewNote(page, 'platypus electroreception muddy creeks', 'Platypus links');
    const body = page.getByTestId('preview-body');
    const windowUrl = page.url();
    const requestsBefore = listener.seen.length;

    // The sanitizer keeps no URL of the listener on anything but a (dead) link.
    const kept = await body.evaluate(
      (root, origin) =>
        [...root.querySelectorAll('*')].flatMap((element) =>
          [...element.attributes]
            .filter((attribute) => attribute.value.includes(origin))
            .map((attribute) => `${element.localName} ${attribute.name}`),
        ),
      listener.origin,
    );
    expect.soft(kept.filter((entry) => !/^a (href|xlink:href)$/.test(entry))).toEqual([]);

    // Records, in the page, every navigation started and every link activation left to the browser.
    await page.evaluate(() => {
      const record: string[] = [];
      (window as unknown as { leaks: string[] }).leaks = record;
      const nav = (window as unknown as { navigation: EventTarget }).navigation;
      nav.addEventListener('navigate', (event) =>
        record.push(`navigate ${(event as unknown as { destination: { url: string } }).destination.url}`),
      );
      for (const type of ['click', 'auxclick'])
        window.addEventListener(type, (event) => {
          if (!event.defaultPrevented) record.push(`${type} on ${(event.target as Element).localName}`);
        });
    });
    const leaks = () => page.evaluate(() => [...(window as unknown as { leaks: string[] }).leaks]);

    const mapped = body.locator('img[usemap]');
    const plain = body.locator('a', { hasText: 'plain link' });
    const svgHref = body.locator('svg rect[fill="teal"]');
    const svgXlink = body.locator('svg rect[fill="olive"]');
    const vectors: [string, () => Promise<void>][] = [
      ['middle-click on a link', () => plain.click({ button: 'middle' })],
      ['ctrl-click on a link', () => plain.click({ modifiers: ['Control'] })],
      ['shift-click on a link', () => plain.click({ modifiers: ['Shift'] })],
      ['Enter on a focused link', async () => (await plain.focus(), await page.keyboard.press('Enter'))],
      ['click on a target=_blank link', () => body.locator('a', { hasText: 'new window link' }).click()],
      ['middle-click on an image-map area', () => mapped.click({ button: 'middle' })],
      ['middle-click on an SVG link', () => svgHref.click({ button: 'middle' })],
      ['click on an SVG link (href)', () => svgHref.click()],
      ['click on an SVG link (xlink:href)', () => svgXlink.click()],
      // Last: on the old code this one took the window itself to the other server.
      ['click on an image-map area', () => mapped.click()],
    ];
    for (const [name, act] of vectors) {
      await act();
      expect.soft(await leaks(), name).toEqual([]);
      await page.evaluate(() => void ((window as unknown as { leaks: string[] }).leaks.length = 0));
    }

    expect(page.url()).toBe(windowUrl);
    expect(context.pages()).toHaveLength(1);
    expect(listener.seen.slice(requestsBefore).map((request) => request.url)).toEqual([]);

    await page.getByTestId('nav-folders').click();
    const row = page.getByTestId('folder-row').filter({ hasText: notes });
    await row.getByTestId('folder-remove').click();
    await row.getByTestId('folder-remove-confirm').click();
    await expect(row).toHaveCount(0);
  } finally {
    await fs.rm(notes, { recursive: true, force: true });
  }
});
