import type { Page } from '@playwright/test';

/** One measured query, all times in the page's own clock (performance.now). */
export interface PaintSample {
  query: string;
  /** Last keystroke (its input event) to the first frame after the results DOM changed. */
  keystrokeToPaintMs: number;
  /** The same, less the renderer's debounce: what the search and the rendering cost. */
  afterDebounceMs: number;
  /** The server's own search time for this query. */
  serverMs: number;
  hits: number;
}

interface ProbeResult {
  lastInputAt: number;
  paintedAt: number;
  tookMs: number;
  hits: number;
}

/**
 * The in-page probe, as source text: the TypeScript runner decorates named functions with helpers
 * that do not exist in the page, so the probe is not written as a function here. The search box's
 * input events stamp the last keystroke; the results area's `data-painted-query` (set by the
 * renderer in the DOM update that shows a query's results) is watched, and the time is taken in a
 * task posted from the next animation frame, that is, after that frame was painted.
 */
const PROBE = `(() => {
  const input = document.querySelector('[data-testid="search-input"]');
  window.__lastInputAt = 0;
  input.addEventListener('input', () => { window.__lastInputAt = performance.now(); }, { capture: true });
  window.__waitForPaint = (query) => new Promise((resolve) => {
    function painted() {
      const el = document.querySelector('[data-testid="results-area"]');
      if (!el || el.dataset.paintedQuery !== query) return false;
      requestAnimationFrame(() => setTimeout(() => resolve({
        lastInputAt: window.__lastInputAt,
        paintedAt: performance.now(),
        tookMs: Number(el.dataset.tookMs),
        hits: el.querySelectorAll('[data-testid="result"]').length,
      })));
      return true;
    }
    if (painted()) return;
    const observer = new MutationObserver(() => { if (painted()) observer.disconnect(); });
    observer.observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-painted-query'] });
  });
})()`;

/** Installs the probe in the loaded search window. */
export async function installProbe(page: Page): Promise<void> {
  await page.evaluate(PROBE);
}

/** The renderer's debounce, as the results area reports it. */
export async function debounceOf(page: Page): Promise<number> {
  return Number(await page.getByTestId('results-area').getAttribute('data-debounce-ms'));
}

/**
 * Types one query the way a fast typist does (all but the last character at once, then the last
 * keystroke) and measures until its results are painted. The box is cleared first.
 */
export async function measureQuery(page: Page, query: string, debounceMs: number): Promise<PaintSample> {
  const input = page.getByTestId('search-input');
  await input.press('Escape');
  const text = query.trim();
  const waiting = page.evaluate(`window.__waitForPaint(${JSON.stringify(text)})`) as Promise<ProbeResult>;
  await input.fill(text.slice(0, -1));
  await input.press(text.slice(-1));
  const result = await waiting;
  const keystrokeToPaintMs = result.paintedAt - result.lastInputAt;
  return {
    query: text,
    keystrokeToPaintMs,
    afterDebounceMs: keystrokeToPaintMs - debounceMs,
    serverMs: result.tookMs,
    hits: result.hits,
  };
}
