// Opens the HTML report in a real browser (Debian's headless Chromium, driven by playwright-core)
// and checks that the charts are drawn and that the page logs no errors. Needs /usr/bin/chromium
// (scripts/setup-engines.sh chromium): skipped with a visible reason without it, unless
// ISOBENCH_REQUIRE_ENGINES=1, where a missing browser fails the test.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareReports } from '../../src/compare/compare.js';
import { renderHtml } from '../../src/render/html.js';
import { CHROMIUM, needs } from '../engines.js';
import { baseReport, regressedReport } from '../fixtures/reports/build.js';

const browserGate = await needs('test/render/html.browser.test.ts', 'chromium');

describe.runIf(browserGate.run)(browserGate.title('HTML report in headless Chromium'), () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    browserGate.check();
    dir = mkdtempSync(join(tmpdir(), 'isobench-html-'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('draws every chart with its bars and baseline ticks, and logs no errors', async () => {
    const file = join(dir, 'report.html');
    writeFileSync(file, renderHtml(regressedReport(), compareReports(baseReport(), regressedReport())));
    const page = await browser.newPage({ viewport: { width: 920, height: 1200 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(String(error)));
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) requests.push(request.url());
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

    // web-app: startup 4 metrics (3 model + docker on first/p50 = 14 bars), memory 3 (3+3+1+3 = 10),
    // disk 3 (4+4+4 = 12), capacity 1 (3) -> 39 bars; microservices: 2 results x 11 metrics = 22;
    // ci-jobs: 1 x 11 = 11. Total 72 bars in 4 + 4 + 4 = 12 charts.
    expect(await page.locator('svg.chart').count()).toBe(12);
    expect(await page.locator('rect.bar').count()).toBe(72);
    // Measured bars are hatched: the docker result's 6 figures (startup first and p50, memory per
    // instance, disk shared, per instance and total).
    expect(await page.locator('rect.bar[data-kind="measured"]').count()).toBe(6);
    expect(await page.locator('rect.bar[data-kind="measured"]').first().getAttribute('fill')).toBe('url(#measured-container)');
    // A baseline tick on every bar whose figure the baseline has: all but ci-jobs' 11.
    expect(await page.locator('line.baseline').count()).toBe(72 - 11 + 1); // + the legend's tick

    // Every bar is laid out: it has a box, and the widest bar of a block spans the bar area.
    const widths = await page.locator('#scenario-0 svg[data-chart="startup"] rect.bar').evaluateAll((bars) => bars.map((bar) => (bar as unknown as { getBBox(): { width: number } }).getBBox().width));
    expect(widths).toHaveLength(14);
    expect(Math.max(...widths)).toBe(330);
    expect(widths.every((w) => w > 0)).toBe(true);

    const startup = page.locator('#scenario-0 svg[data-chart="startup"]');
    await expect.poll(() => startup.locator('text.label').allTextContents()).toContain('container · docker');
    expect(await startup.locator('tspan.verdict.regression').allTextContents()).toEqual(['regression', 'regression']);
    expect(await page.locator('#scenario-0 h3').allTextContents()).toEqual([
      'Numbers',
      'Measured beside the model as run',
      'Startup (smaller is better)',
      'Memory (smaller is better)',
      'Disk (smaller is better)',
      'Capacity: instances that fit (bigger is better)',
      'Against the baseline',
    ]);
    // Escaped text arrives as text, not markup.
    expect(await page.locator('#scenario-1 p.desc').textContent()).toBe('Twelve services <sharing> a "Debian" base & three replicas each.');
    expect(await page.locator('script').count()).toBe(0);

    // ISOBENCH_SCREENSHOT=/tmp/report.png keeps a picture of the page to look at.
    const screenshot = process.env['ISOBENCH_SCREENSHOT'];
    if (screenshot !== undefined && screenshot !== '') await page.screenshot({ path: screenshot, fullPage: true });
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });
});
