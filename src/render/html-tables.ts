// The HTML report's tables: the summary that opens the page (every scenario and platform, with the
// VM / container ratios), each scenario's numbers (the same rows as the terminal), and each result's
// breakdown as a collapsible list. Plain HTML strings; the page's style is in html.ts.

import type { BreakdownItem, Platform, PlatformResult, ScenarioReport } from '../report/types.js';
import { PLATFORMS } from '../report/types.js';
import { formatItem, formatMetric, formatRatio, plural, resultLabel, writtenModelResults, type TableView } from '../report/view.js';
import { groupIdentical } from './explain.js';
import { esc } from './html-chart.js';

/** The headline figures of the summary, in column order. */
const SUMMARY_METRICS = [
  { key: 'startupAllMs', label: 'startup: all ready' },
  { key: 'memoryTotalBytes', label: 'memory: total' },
  { key: 'diskTotalBytes', label: 'disk: total' },
  { key: 'maxInstances', label: 'max instances' },
] as const;

/** Every scenario, a row per platform (the model as written) and a vm / container row. */
export function summaryTableHtml(scenarios: readonly ScenarioReport[], anchors: ReadonlyMap<string, string>): string {
  const head = `<tr><th>scenario</th><th>platform</th>${SUMMARY_METRICS.map((m) => `<th class="num">${esc(m.label)}</th>`).join('')}</tr>`;
  const body = scenarios.flatMap((scenario) => {
    const results = writtenModelResults(scenario);
    const by = (platform: Platform) => results.find((r) => r.platform === platform);
    const vm = by('vm');
    const container = by('container');
    const rows: { label: string; cells: string[]; cls: string }[] = results.map((result) => ({
      label: result.platform as string,
      cells: SUMMARY_METRICS.map((m) => formatMetric(m.key, result.metrics[m.key])),
      cls: result.platform,
    }));
    if (vm && container) rows.push({ label: 'vm / container', cells: SUMMARY_METRICS.map((m) => formatRatio(vm.metrics[m.key], container.metrics[m.key])), cls: 'ratio' });
    const anchor = anchors.get(scenario.name);
    const name = anchor === undefined ? esc(scenario.name) : `<a href="#${anchor}">${esc(scenario.name)}</a>`;
    return rows.map(
      (row, i) =>
        `<tr class="${row.cls}${i === 0 ? ' first' : ''}">${i === 0 ? `<td rowspan="${rows.length}" class="scenario">${name}<br><small>${esc(plural(scenario.totalInstances, 'instance'))}</small></td>` : ''}` +
        `<td class="nowrap">${esc(row.label)}</td>${row.cells.map((c) => `<td class="num">${esc(c)}</td>`).join('')}</tr>`,
    );
  });
  return `<table class="summary-table" data-table="summary"><thead>${head}</thead><tbody>${body.join('\n')}</tbody></table>`;
}

/** A TableView (terminal rows) as an HTML table: the first `textColumns` columns as text, the rest as figures. */
export function viewTableHtml(view: TableView, textColumns: number, kind: string): string {
  const head = view.head.map((h, i) => `<th${i < textColumns ? '' : ' class="num"'}>${h.split('\n').map(esc).join('<br>')}</th>`).join('');
  const rows = view.rows.map((row) => `<tr>${row.map((cell, i) => `<td class="${i < textColumns ? 'nowrap' : 'num'}">${esc(cell)}</td>`).join('')}</tr>`);
  return `<table class="numbers" data-table="${esc(kind)}"><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Each result's breakdown as a collapsed nested list (identical services said once). */
export function breakdownHtml(scenario: ScenarioReport): string {
  const names = scenario.services.map((s) => s.name);
  const item = (entry: BreakdownItem): string => {
    const children = groupIdentical(entry.children ?? [], names);
    const note = entry.note === undefined ? '' : ` <span class="note">${esc(entry.note)}</span>`;
    const inner = children.length === 0 ? '' : `<ul>${children.map(item).join('')}</ul>`;
    return `<li>${esc(entry.label)}: <b>${esc(formatItem(entry))}</b>${note}${inner}</li>`;
  };
  const section = (result: PlatformResult): string => {
    const parts = (['startup', 'memory', 'disk', 'capacity'] as const)
      .filter((s) => result.breakdown[s].length > 0)
      .map((s) => `<li>${s}<ul>${groupIdentical(result.breakdown[s], names).map(item).join('')}</ul></li>`);
    if (parts.length === 0) return '';
    return `<details class="breakdown"><summary>Breakdown: ${esc(resultLabel(result))}</summary><ul>${parts.join('')}</ul></details>`;
  };
  const ordered = [...scenario.results].sort((a, b) => PLATFORMS.indexOf(a.platform) - PLATFORMS.indexOf(b.platform));
  return ordered
    .map(section)
    .filter((s) => s !== '')
    .join('\n');
}
