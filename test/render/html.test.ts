import { describe, expect, it } from 'vitest';
import { compareReports } from '../../src/compare/compare.js';
import type { MetricComparison } from '../../src/compare/types.js';
import { barStyle, CHARTS, esc, renderChart } from '../../src/render/html-chart.js';
import { renderHtml } from '../../src/render/html.js';
import { baseReport, regressedReport } from '../fixtures/reports/build.js';
import { tiny } from './tiny.js';

const [startup, , disk, capacity] = CHARTS;

describe('renderChart', () => {
  it('one bar per result with a figure, the baseline as a tick', () => {
    // tiny(): container/model has maxInstances 290 (base 290); container/docker has none.
    // Scale = max(290, base 290) = 290, so the bar is the full 330 px and the tick at 200 + 330 = 530.
    const comparison = compareReports(tiny(baseReport()), tiny(regressedReport()));
    const rows = new Map<string, MetricComparison>();
    for (const r of comparison.scenarios[0]!.results) for (const m of r.metrics) rows.set(`${r.key}/${m.metric}`, m);
    const results = tiny(regressedReport()).scenarios[0]!.results;
    expect(renderChart(capacity!, { name: 'web-app', id: 'scenario-0' }, results, (r, k) => rows.get(`${r.platform}/${r.backend}/${k}`))).toBe(
      '<svg class="chart" data-chart="capacity" role="img" aria-labelledby="scenario-0-capacity" viewBox="0 0 820 47" width="820" height="47">' +
        '<title id="scenario-0-capacity">web-app: Capacity: instances that fit (bigger is better)</title>' +
        '<text class="metric" x="12" y="18">max instances <tspan class="key">maxInstances</tspan></text>' +
        '<text class="label" x="192" y="34" text-anchor="end">container · model</text>' +
        '<rect class="bar" data-result="container/model" data-metric="maxInstances" data-kind="modeled" x="200" y="24" width="330" height="11" fill="#f28e2b" stroke="#f28e2b" stroke-width="0.5">' +
        '<title>container · model, maxInstances: 290 (modeled)</title></rect>' +
        '<line class="baseline" x1="530" x2="530" y1="22" y2="37"><title>baseline: 290</title></line>' +
        '<text class="value" x="540" y="34">290</text></svg>',
    );
  });

  it('scales each metric to its largest figure and shows the change and verdict', () => {
    const comparison = compareReports(tiny(baseReport()), tiny(regressedReport()));
    const rows = new Map<string, MetricComparison>();
    for (const r of comparison.scenarios[0]!.results) for (const m of r.metrics) rows.set(`${r.key}/${m.metric}`, m);
    const svg = renderChart(startup!, { name: 'web-app', id: 's' }, tiny(regressedReport()).scenarios[0]!.results, (r, k) => rows.get(`${r.platform}/${r.backend}/${k}`))!;
    // startupFirstMs: model 900 (base 750), docker 821 (base 820): scale 900; model bar 330 px,
    // docker 821/900*330 = 301.03 -> 301; base tick of the model at 200 + 750/900*330 = 475.
    expect(svg).toContain('data-result="container/model" data-metric="startupFirstMs" data-kind="modeled" x="200" y="24" width="330"');
    expect(svg).toContain('data-result="container/docker" data-metric="startupFirstMs" data-kind="measured" x="200" y="41" width="301" height="11" fill="url(#measured-container)"');
    expect(svg).toContain('<line class="baseline" x1="475" x2="475"');
    expect(svg).toContain('<text class="value" x="540" y="34">900 ms · base 750 ms · +20.0% <tspan class="verdict regression">regression</tspan></text>');
    expect(svg).toContain('<title>container · docker, startupFirstMs: 821 ms (measured, 5 samples, ±1.0%)</title>');
  });

  it('draws nothing when no result has a figure for the chart', () => {
    expect(renderChart(disk!, { name: 'web-app', id: 's' }, tiny(regressedReport()).scenarios[0]!.results, () => undefined)).toBeUndefined();
  });

  it('hatches measured bars and pales as-run model bars', () => {
    const modeled = { kind: 'modeled', profile: 'p', profileSource: 'built-in' } as const;
    expect(barStyle({ platform: 'vm', provenance: modeled })).toEqual({ fill: '#59a14f', opacity: 1, kind: 'modeled' });
    expect(barStyle({ platform: 'vm', provenance: modeled, asRun: { scale: 0.1, instances: 1, instancesRequested: 1, host: 'h' } })).toEqual({
      fill: '#59a14f',
      opacity: 0.45,
      kind: 'modeled as run',
    });
  });

  it('escapes text for HTML and attributes', () => {
    expect(esc(`<a href="x">Tom & Jerry's</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;');
  });
});

describe('renderHtml', () => {
  const html = renderHtml(regressedReport(), compareReports(baseReport(), regressedReport()));

  it('is one self-contained document: no script, no external resource, a strict CSP', () => {
    expect(html.startsWith('<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|https?:\/\/(?!www\.w3\.org)/i);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
    expect(html.endsWith('</body>\n</html>\n')).toBe(true);
  });

  it('a section per scenario with its charts, escaped descriptions and the comparison', () => {
    expect(html.match(/<section class="scenario"/g)).toHaveLength(3);
    expect(html.match(/<svg class="chart"/g)).toHaveLength(12);
    expect(html).toContain('<p class="desc">Twelve services &lt;sharing&gt; a &quot;Debian&quot; base &amp; three replicas each.</p>');
    expect(html).toContain('<p class="headline">Against baseline base-run: 3 scenarios, 2 regressions, 1 improvement</p>');
    expect(html).toContain('<td class="regression">regression</td>');
    expect(html).toContain('<h2>ci-jobs <small>(not in the baseline)</small></h2>');
  });

  it('without a comparison: charts only, no baseline ticks', () => {
    const alone = renderHtml(baseReport());
    expect(alone).not.toContain('class="summary"');
    expect(alone.match(/<line class="baseline"/g)).toHaveLength(1); // the legend's
    expect(alone.match(/<rect class="bar"/g)).toHaveLength(39 + 22);
  });

  it('says when a run is partial and lists failed results instead of drawing them', () => {
    const report = tiny(regressedReport());
    report.partial = true;
    report.scenarios[0]!.results[1]!.state = 'failed';
    report.scenarios[0]!.results[1]!.error = 'engine <stopped>';
    const page = renderHtml(report);
    expect(page).toContain(' · <strong>partial run</strong>');
    expect(page).toContain('<li>container · docker: failed (engine &lt;stopped&gt;)</li>');
    expect(page).not.toContain('data-result="container/docker"');
  });
});
