/**
 * The web UI's costs, measured in Debian's Chromium against `voltmon run --simulate`:
 * - the JS and CSS a screen downloads, gzipped;
 * - time from navigation to the first live value (`52.61 V`) on screen, over fresh browser contexts;
 * - frame times and main-thread busy time while the Inverter page's live charts take 1 Hz samples,
 *   against the chart-less Events page in the same run (a ratio, since the machine is shared).
 * Run: npx tsx bench/ui-dashboard.ts  → bench/results/ui.json
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { Daemon, ensureBuilt, freePort, launchChromium, makeDataDir, ROOT } from '../test/support/browser.js';

const FIRST_VALUE_RUNS = 7;
const FRAME_WINDOW_MS = 10_000;

function bundleSizes(): Record<string, number> {
  const dir = join(ROOT, 'dist', 'renderer', 'assets');
  const sizes = { jsBytes: 0, jsGzipBytes: 0, cssBytes: 0, cssGzipBytes: 0 };
  for (const name of readdirSync(dir)) {
    const data = readFileSync(join(dir, name));
    const gz = gzipSync(data, { level: 9 }).length;
    if (name.endsWith('.js')) {
      sizes.jsBytes += data.length;
      sizes.jsGzipBytes += gz;
    } else if (name.endsWith('.css')) {
      sizes.cssBytes += data.length;
      sizes.cssGzipBytes += gz;
    }
  }
  return sizes;
}

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const round = (n: number, d = 1): number => Math.round(n * 10 ** d) / 10 ** d;

// In-page scripts are plain JavaScript strings: this file is type-checked for Node, without the DOM.
const FIRST_VALUE_PROBE = `
  const check = () => {
    if (window.__firstValueMs === undefined && document.body && /\\d+[.,]\\d{2}\\s?V\\b/.test(document.body.innerText)) window.__firstValueMs = performance.now();
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true });
`;

/** Rolls requestAnimationFrame for windowMs and counts full-canvas clears (one per chart redraw). */
const FRAME_PROBE = (windowMs: number) => `(async () => {
  let redraws = 0;
  const proto = CanvasRenderingContext2D.prototype;
  const clearRect = proto.clearRect;
  proto.clearRect = function (...args) {
    if (args[0] === 0 && args[1] === 0) redraws += 1;
    return clearRect.apply(this, args);
  };
  const deltas = [];
  await new Promise((done) => {
    let last = performance.now();
    const end = last + ${windowMs};
    const tick = (now) => {
      deltas.push(now - last);
      last = now;
      if (now < end) requestAnimationFrame(tick);
      else done();
    };
    requestAnimationFrame(tick);
  });
  proto.clearRect = clearRect;
  return { deltas, redraws, charts: document.querySelectorAll('canvas').length };
})()`;

/** Milliseconds from navigation start until a voltage is on screen, measured inside the page. */
async function firstValueMs(browser: Browser, url: string): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.addInitScript({ content: FIRST_VALUE_PROBE });
  await page.goto(url);
  await page.waitForFunction('window.__firstValueMs !== undefined', undefined, { timeout: 15_000 });
  const ms = (await page.evaluate('window.__firstValueMs')) as number;
  await context.close();
  return ms;
}

interface FrameStats {
  page: string;
  charts: number;
  frames: number;
  meanFrameMs: number;
  p95FrameMs: number;
  maxFrameMs: number;
  framesOver50ms: number;
  /** Main-thread time spent in tasks, as a share of the wall time (Chrome DevTools Protocol metrics). */
  mainThreadBusyPct: number;
  chartRedrawsPerS: number;
}

async function frameStats(page: Page, name: string): Promise<FrameStats> {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name, exact: true }).click();
  await page.waitForTimeout(4000);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const metric = async (key: string) => ((await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === key)?.value ?? 0);
  const busy0 = await metric('TaskDuration');
  const t0 = Date.now();
  const result = (await page.evaluate(FRAME_PROBE(FRAME_WINDOW_MS))) as { deltas: number[]; redraws: number; charts: number };
  const wallS = (Date.now() - t0) / 1000;
  const busy = (await metric('TaskDuration')) - busy0;
  await cdp.detach();
  const sorted = [...result.deltas].sort((a, b) => a - b);
  return {
    page: name,
    charts: result.charts,
    frames: sorted.length,
    meanFrameMs: round(sorted.reduce((a, b) => a + b, 0) / sorted.length, 2),
    p95FrameMs: round(quantile(sorted, 0.95), 2),
    maxFrameMs: round(sorted[sorted.length - 1] ?? NaN, 2),
    framesOver50ms: sorted.filter((d) => d > 50).length,
    mainThreadBusyPct: round((busy / wallS) * 100, 2),
    chartRedrawsPerS: round(result.redraws / (FRAME_WINDOW_MS / 1000), 2),
  };
}

async function main(): Promise<void> {
  ensureBuilt();
  const dataDir = makeDataDir();
  const daemon = new Daemon(dataDir, await freePort());
  let browser: Browser | null = null;
  try {
    await daemon.start();
    const token = daemon.token('viewer');
    browser = await launchChromium();
    const url = `${daemon.baseUrl}/#token=${token}`;
    // Let the plant produce some history so the charts have something to draw.
    await new Promise((r) => setTimeout(r, 5000));

    const runs: number[] = [];
    for (let i = 0; i < FIRST_VALUE_RUNS; i++) runs.push(round(await firstValueMs(browser, url)));
    const sortedRuns = [...runs].sort((a, b) => a - b);

    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(`/\\d+[.,]\\d{2}\\s?V\\b/.test(document.body.innerText)`);
    const baseline = await frameStats(page, 'Events');
    const charts = await frameStats(page, 'Inverter');
    await context.close();

    const result = {
      date: new Date().toISOString(),
      node: process.version,
      chromium: browser.version(),
      bundle: bundleSizes(),
      firstLiveValueMs: { runs, median: quantile(sortedRuns, 0.5), min: sortedRuns[0], max: sortedRuns[sortedRuns.length - 1] },
      liveCharts: charts,
      baselineWithoutCharts: baseline,
      busyRatioChartsToBaseline: round(charts.mainThreadBusyPct / Math.max(0.01, baseline.mainThreadBusyPct), 2),
    };
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(join(ROOT, 'bench', 'results', 'ui.json'), `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await browser?.close();
    await daemon.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`ui benchmark failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
