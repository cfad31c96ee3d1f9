// What a person sees in the HTML report, in headless Chromium: the summary table first, with
// every scenario and platform; a numbers table per scenario beside its charts; the startup phases
// and timeline; collapsible breakdowns; a line chart per metric for a sweep; and no horizontal
// scrolling at a laptop's width or a narrow window. Skipped with a reason without Chromium.
// ISOBENCH_REPORT_SCREENSHOT=docs/report.png keeps a screenshot of the top of the page.

import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/render/html.js';
import { peopleReport } from './people-report.js';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const required = process.env['ISOBENCH_REQUIRE_ENGINES'] === '1';
const reason = `${CHROMIUM} not found: install it with \`sudo scripts/setup-engines.sh chromium\``;
if (!available && !required) console.warn(`[skip] html-people.browser.test.ts: ${reason}`);

describe.runIf(available || required)('the HTML report as a person reads it', () => {
  let browser: Browser;
  let dir: string;
  let file: string;

  beforeAll(async () => {
    if (!available) throw new Error(`ISOBENCH_REQUIRE_ENGINES=1 but ${reason}`);
    dir = mkdtempSync(join(tmpdir(), 'isobench-html-people-'));
    file = join(dir, 'report.html');
    writeFileSync(file, renderHtml(await peopleReport()));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it.each([1280, 920, 600])('at %i px wide: summary first, numbers, pictures, no horizontal scrolling', async (width) => {
    const page = await browser.newPage({ viewport: { width, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

    // The first table on the page is the summary, and it is in the first screenful.
    const summary = page.locator('table').first();
    expect(await summary.getAttribute('data-table')).toBe('summary');
    expect(await summary.isVisible()).toBe(true);
    expect((await summary.boundingBox())!.y).toBeLessThan(1000);
    // Every scenario (3 as written + 4 sweep points = 7) and, for each, process, container, vm and the ratio row.
    expect(await summary.locator('td.scenario').count()).toBe(7);
    expect(await summary.locator('tbody tr').count()).toBe(7 * 4);
    expect(await summary.locator('tr.ratio').count()).toBe(7);
    const first = await summary.locator('tbody tr').first().locator('td').allTextContents();
    expect(first.slice(0, 2)).toEqual(['small-web-app1 instance', 'process']);

    // A numbers table per scenario section (7), 14 rows each: 13 metrics + reserved memory for the VM.
    expect(await page.locator('section.scenario table[data-table="model"]').count()).toBe(7);
    expect(await page.locator('#scenario-0 table[data-table="model"] tbody tr').count()).toBe(14);
    // The charts show the same figures: the VM's "all ready" bar and table cell agree.
    const cell = await page.locator('#scenario-0 table[data-table="model"] tbody tr').nth(1).locator('td').nth(3).textContent();
    const bar = await page.locator('#scenario-0 rect.bar[data-result="vm/model"][data-metric="startupAllMs"] title').textContent();
    expect(bar).toContain(cell!);

    // Startup phases per platform (3 stacked bars); a timeline per model result (7 scenarios x 3),
    // and in the fixture one (microservices' container: 6 instances x 3 phases) exactly its spans.
    expect(await page.locator('#scenario-0 svg[data-chart="phases"] text.label').count()).toBe(3);
    expect(await page.locator('svg[data-chart="timeline"]').count()).toBe(7 * 3);
    expect(await page.locator('section[data-scenario="microservices"] svg[data-chart="timeline"][data-result="container"] rect.span').count()).toBe(6 * 3);
    // Breakdowns are collapsed until opened.
    const details = page.locator('#scenario-0 details.breakdown');
    expect(await details.count()).toBe(3);
    expect(await details.first().getAttribute('open')).toBeNull();

    // The sweep: a line chart per metric (11), a line per platform (3).
    expect(await page.locator('#sweep-0 svg[data-chart="sweep"]').count()).toBe(13);
    expect(await page.locator('#sweep-0 svg[data-metric="startupAllMs"] polyline.line').count()).toBe(3);

    // Nothing wider than the window.
    // (the page's own globals: this test's tsconfig has no DOM types)
    const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBe(0);

    const screenshot = process.env['ISOBENCH_REPORT_SCREENSHOT'];
    if (width === 1280 && screenshot) await page.screenshot({ path: screenshot, clip: { x: 0, y: 0, width: 1280, height: 1500 }, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
