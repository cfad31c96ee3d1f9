// The report as one self-contained HTML file: inline SVG charts per scenario (startup, memory,
// disk, capacity; process, container and VM side by side; modeled and measured told apart) and,
// given a comparison, the baseline on every bar and the verdicts. No script, no network.

import { describeDecidedBy, formatChange, formatMetricValue, headline, isNoteworthy, plural, summaryDetail } from '../compare/describe.js';
import { resultKey, resultName } from '../compare/result-key.js';
import type { Comparison, MetricComparison, ResultComparison, ScenarioComparison } from '../compare/types.js';
import type { Report, ScenarioReport, SweepReport } from '../report/types.js';
import { describeServices, fitLine, measuredTable, modelTable, resultLabel } from '../report/view.js';
import { formatBytes, formatCount } from '../units/format.js';
import { phaseBarsSvg, timelineSvg } from './html-startup.js';
import { sweepChartsHtml } from './html-sweep.js';
import { breakdownHtml, summaryTableHtml, viewTableHtml } from './html-tables.js';
import { CHARTS, chartDefs, esc, renderChart, renderLegend, type RowLookup } from './html-chart.js';

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d1d1f; margin: 0 auto; max-width: 1400px; padding: 16px 20px 40px; }
h1 { font-size: 22px; margin: 8px 0 4px; } h2 { font-size: 18px; margin: 28px 0 2px; border-top: 1px solid #ddd; padding-top: 16px; }
h3 { font-size: 14px; margin: 14px 0 2px; color: #444; }
.meta, .desc { color: #555; margin: 2px 0; } .key { fill: #888; font-size: 11px; }
svg.chart, svg.legend { display: block; max-width: 100%; height: auto; font-size: 12px; }
svg.defs { position: absolute; }
.chart .metric { font-weight: 600; fill: #333; } .chart .label { fill: #333; } .chart .value { fill: #333; font-variant-numeric: tabular-nums; }
.baseline { stroke: #111; stroke-width: 2; }
.verdict.regression, td.regression { fill: #b03a2e; color: #b03a2e; font-weight: 600; }
.verdict.improvement, td.improvement { fill: #1e8449; color: #1e8449; font-weight: 600; }
.verdict.added, .verdict.removed { fill: #555; }
table { border-collapse: collapse; margin: 6px 0; font-size: 13px; } th, td { border-bottom: 1px solid #e3e3e3; padding: 3px 8px; text-align: left; vertical-align: top; }
td.nowrap { white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.summary { background: #f6f6f8; border-radius: 6px; padding: 8px 14px; margin: 12px 0; }
.headline { font-size: 16px; font-weight: 600; } .blocking { color: #b03a2e; font-weight: 600; }
ul.notes { color: #555; margin: 4px 0; padding-left: 20px; }
.pair { display: flex; flex-wrap: wrap; gap: 8px 28px; align-items: flex-start; }
.pair > .numbers-col { flex: 0 1 540px; max-width: 100%; overflow-x: auto; }
.pair > .charts-col { flex: 1 1 560px; min-width: 0; }
table.numbers th { white-space: normal; }
table.numbers td, table.numbers th, table.summary-table td, table.summary-table th { padding: 2px 7px; }
table.summary-table tr.first td { border-top: 2px solid #ccc; }
table.summary-table tr.ratio td { color: #555; font-style: italic; }
table.summary-table td.scenario { font-weight: 600; overflow-wrap: anywhere; }
.table-wrap { max-width: 100%; overflow-x: auto; }
th.num { text-align: right; }
.sweep-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(330px, 1fr)); gap: 6px 18px; }
.chart .axis { stroke: #999; } .chart .crossing text { font-size: 10px; fill: #111; }
details.breakdown { margin: 4px 0; } details.breakdown summary { cursor: pointer; color: #333; }
details.breakdown ul { margin: 2px 0; padding-left: 18px; } details.breakdown .note { color: #666; font-size: 12px; }
.never { fill: #b03a2e; }
`;

/** Renders the report (and its comparison to a baseline, when given) as a complete HTML document. */
export function renderHtml(report: Report, comparison?: Comparison): string {
  const anchors = new Map(report.scenarios.map((scenario, index) => [scenario.name, `scenario-${index}`]));
  const body = [
    chartDefs(),
    '<header>',
    '<h1>isobench report</h1>',
    `<p class="meta">run ${esc(report.runId)} · ${esc(report.createdAt)} · isobench ${esc(report.tool.version)}${report.partial ? ' · <strong>partial run</strong>' : ''}</p>`,
    `<p class="meta">${esc(environmentLine(report))}</p>`,
    '</header>',
    comparison === undefined ? '' : comparisonSummary(comparison),
    '<section class="summary-section"><h2 id="summary">Summary</h2>',
    '<p class="meta">The model of every scenario as written: when all instances are ready, the memory and disk they take, how many fit on the host, and VM / container (n/a where the ratio says little: a side is 0, or it is below 0.01x or above 1000x).</p>',
    `<div class="table-wrap">${summaryTableHtml(report.scenarios, anchors)}</div>`,
    '</section>',
    renderLegend(),
    '<p class="meta">Solid bars are modeled, hatched bars measured on a real engine, pale bars the model of the scenario as the real engine ran it (scaled, capped). Each metric has its own scale.</p>',
    ...(report.sweeps ?? []).map((sweep, index) => sweepSection(report, sweep, index)),
    ...report.scenarios.map((scenario, index) =>
      scenarioSection(
        scenario,
        index,
        comparison?.scenarios.find((s) => s.name === scenario.name),
      ),
    ),
    report.notes.length === 0 ? '' : `<footer><h2>Notes</h2><ul class="notes">${report.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul></footer>`,
  ];
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>isobench report ${esc(report.runId)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    ...body.filter((part) => part !== ''),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function environmentLine(report: Report): string {
  const env = report.environment;
  const engines = Object.entries(env.engines).map(([name, facts]) => {
    const version = facts['version'] ?? facts['serverVersion'] ?? facts['engineVersion'];
    return version === undefined || version === null ? name : `${name} ${String(version)}`;
  });
  return [`node ${env.node}`, `${env.os} ${env.arch}`, `kernel ${env.kernel}`, `${env.cpus} cpus`, formatBytes(env.memoryBytes), ...engines].join(' · ');
}

function comparisonSummary(comparison: Comparison): string {
  const { differences, note } = comparison.environment;
  const blocking = differences.some((d) => d.blocking);
  const rows = differences.map((d) => `<tr><td>${esc(d.field)}</td><td>${esc(d.base)}</td><td>${esc(d.new)}</td><td>${d.blocking ? '<span class="blocking">blocks</span>' : 'no'}</td></tr>`);
  return [
    '<section class="summary">',
    `<p class="headline">Against baseline ${esc(comparison.base.runId)}: ${esc(headline(comparison.summary))}</p>`,
    `<p class="meta">${esc(summaryDetail(comparison.summary))}. Measured changes count at p &lt; ${comparison.config.alpha} and the minimum effect; modeled changes at the minimum effect (settings: ${esc(comparison.config.source)}).</p>`,
    `<p class="${blocking ? 'blocking' : 'meta'}">Environment: ${esc(note)}</p>`,
    rows.length === 0 ? '' : `<table><thead><tr><th>field</th><th>base</th><th>new</th><th>blocks</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
    '</section>',
  ]
    .filter((part) => part !== '')
    .join('\n');
}

function scenarioSection(scenario: ScenarioReport, index: number, compared: ScenarioComparison | undefined): string {
  const id = `scenario-${index}`;
  const lookup = rowLookup(compared);
  const shown = scenario.results.filter((r) => r.state !== 'failed');
  const services = describeServices(scenario.services);
  const host = `${scenario.host.preset ?? 'custom'} host: ${scenario.host.cpus} cpus, ${formatBytes(scenario.host.memoryBytes)}`;
  const charts = CHARTS.map((spec) => {
    const svg = renderChart(spec, { name: scenario.name, id }, shown, lookup);
    return svg === undefined ? '' : `<h3>${esc(spec.title)}</h3>\n${svg}`;
  }).filter((part) => part !== '');
  const measured = measuredTable(scenario);
  const phases = phaseBarsSvg(shown, `${id}-phases`, `${scenario.name}: startup phases per platform`);
  const timelines = shown.flatMap((result, i) => {
    const svg = timelineSvg(result, `${id}-timeline-${i}`, `${scenario.name}: ${resultLabel(result)}, startup of each instance`);
    return svg === undefined ? [] : [`<h3>Startup timeline: ${esc(resultLabel(result))}</h3>\n${svg}`];
  });
  const notes = [
    ...scenario.results.filter((r) => r.state !== 'completed').map((r) => `${resultName(r)}: ${r.state}${r.error === undefined ? '' : ` (${r.error})`}`),
    ...scenario.results.flatMap((r) => (r.notes ?? []).map((n) => `${resultName(r)}: ${n}`)),
    ...(compared?.inputChanges.length ? [`scenario inputs changed since the baseline: ${compared.inputChanges.join('; ')}`] : []),
    ...(compared?.results.flatMap((r) => r.notes.map((n) => `${r.name}: ${n}`)) ?? []),
  ];
  return [
    `<section class="scenario" id="${id}" data-scenario="${esc(scenario.name)}">`,
    `<h2>${esc(scenario.name)}${compared?.status === 'added' ? ' <small>(not in the baseline)</small>' : ''}</h2>`,
    `<p class="desc">${esc(scenario.description)}</p>`,
    `<p class="meta">${esc(`${plural(scenario.totalInstances, 'instance')} (${services}), ${formatCount(scenario.concurrency)} at once, ${scenario.cache} cache, ${host}`)}</p>`,
    ...(fitLine(scenario) === undefined ? [] : [`<p class="fit"><strong>${esc(fitLine(scenario) ?? '')}</strong></p>`]),
    '<div class="pair">',
    `<div class="numbers-col"><h3>Numbers</h3>${viewTableHtml(modelTable(scenario), 1, 'model')}${measured === undefined ? '' : `<h3>Measured beside the model as run</h3>${viewTableHtml(measured, 1, 'measured')}`}</div>`,
    `<div class="charts-col">${charts.length === 0 ? '<p class="meta">No figures: every result failed.</p>' : charts.join('\n')}</div>`,
    '</div>',
    phases === undefined ? '' : `<h3>Startup phases of one instance, alone on an idle host</h3>\n${phases}`,
    ...timelines,
    notes.length === 0 ? '' : `<ul class="notes">${notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`,
    breakdownHtml(scenario),
    compared === undefined ? '' : comparisonTable(compared),
    '</section>',
  ]
    .filter((part) => part !== '')
    .join('\n');
}

/** A sweep: its points in brief and a line chart per metric, break-evens marked. */
function sweepSection(report: Report, sweep: SweepReport, index: number): string {
  const first = report.scenarios.find((s) => s.name === sweep.points[0]);
  const links = sweep.points.map((name, i) => {
    const at = report.scenarios.findIndex((s) => s.name === name);
    return at < 0 ? esc(sweep.values[i]!) : `<a href="#scenario-${at}">${esc(sweep.values[i]!)}</a>`;
  });
  return [
    `<section class="sweep" id="sweep-${index}" data-sweep="${esc(sweep.scenario)}">`,
    `<h2>${esc(sweep.scenario)}: swept over ${esc(sweep.key)}</h2>`,
    first === undefined ? '' : `<p class="desc">${esc(first.description)}</p>`,
    `<p class="meta">Points (each in full below): ${sweep.key} = ${links.join(', ')}. The model of each point as written; a ring marks where two platforms' lines cross (the break-even).</p>`,
    sweepChartsHtml(report, sweep, `sweep-${index}`),
    '</section>',
  ]
    .filter((part) => part !== '')
    .join('\n');
}

function comparisonTable(scenario: ScenarioComparison): string {
  if (scenario.status === 'added') return '<p class="meta">Not in the baseline: nothing to compare.</p>';
  const rows = scenario.results.flatMap((result) => result.metrics.map((row) => ({ result, row })));
  const shown = rows.filter(({ row }) => isNoteworthy(row));
  const folded = rows.length - shown.length;
  if (shown.length === 0) return `<p class="meta">Against the baseline: no figure changed (${folded} compared).</p>`;
  return [
    '<h3>Against the baseline</h3>',
    '<table class="comparison"><thead><tr><th>metric</th><th>result</th><th>base</th><th>new</th><th>change</th><th>verdict</th><th>decided by</th></tr></thead><tbody>',
    ...shown.map(({ result, row }) => tableRow(result, row)),
    '</tbody></table>',
    folded === 0 ? '' : `<p class="meta">${folded} other figures unchanged.</p>`,
  ]
    .filter((part) => part !== '')
    .join('\n');
}

function tableRow(result: ResultComparison, row: MetricComparison): string {
  return (
    `<tr><td>${esc(row.metric)}</td><td class="nowrap">${esc(result.name)}</td><td class="num">${esc(formatMetricValue(row.unit, row.base))}</td>` +
    `<td class="num">${esc(formatMetricValue(row.unit, row.new))}</td><td class="num">${esc(formatChange(row.change))}</td>` +
    `<td class="${row.verdict}">${row.verdict}</td><td>${esc(describeDecidedBy(row))}</td></tr>`
  );
}

/** The comparison rows of one scenario, by result and metric. */
function rowLookup(scenario: ScenarioComparison | undefined): RowLookup {
  if (scenario === undefined) return () => undefined;
  const rows = new Map<string, MetricComparison>();
  for (const result of scenario.results) for (const row of result.metrics) rows.set(`${result.key}\u0000${row.metric}`, row);
  return (result, metric) => rows.get(`${resultKey(result)}\u0000${metric}`);
}
