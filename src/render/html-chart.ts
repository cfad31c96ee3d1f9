// Inline SVG bar charts for the HTML report: one chart per concern (startup, memory, disk,
// capacity), one block of bars per metric with its own scale, one bar per result. Modeled bars are
// solid, measured bars hatched, as-run model bars pale; a baseline, when given, is a dark tick.

import { formatChange, formatMetricValue } from '../compare/describe.js';
import { resultKey, resultName } from '../compare/result-key.js';
import type { MetricComparison } from '../compare/types.js';
import { PLATFORMS, metricUnit, type MetricKey, type Platform, type PlatformResult } from '../report/types.js';

/** Platform colours (Tableau 10: distinct for the common colour-vision deficiencies). */
export const PLATFORM_COLOURS: Record<Platform, string> = { process: '#4e79a7', container: '#f28e2b', vm: '#59a14f' };

/** One chart's metrics, with short labels (the chart title says the concern). */
export interface ChartSpec {
  id: 'startup' | 'memory' | 'disk' | 'capacity';
  title: string;
  metrics: { key: MetricKey; label: string }[];
}

export const CHARTS: readonly ChartSpec[] = [
  {
    id: 'startup',
    title: 'Startup (smaller is better)',
    metrics: [
      { key: 'startupFirstMs', label: 'first ready' },
      { key: 'startupP50Ms', label: 'p50 instance' },
      { key: 'startupP99Ms', label: 'p99 instance' },
      { key: 'startupAllMs', label: 'all ready' },
    ],
  },
  {
    id: 'memory',
    title: 'Memory (smaller is better)',
    metrics: [
      { key: 'memorySharedBytes', label: 'shared' },
      { key: 'memoryPerInstanceBytes', label: 'per instance' },
      { key: 'memoryTotalBytes', label: 'total' },
    ],
  },
  {
    id: 'disk',
    title: 'Disk (smaller is better)',
    metrics: [
      { key: 'diskSharedBytes', label: 'shared' },
      { key: 'diskPerInstanceBytes', label: 'per instance' },
      { key: 'diskTotalBytes', label: 'total' },
    ],
  },
  { id: 'capacity', title: 'Capacity: instances that fit (bigger is better)', metrics: [{ key: 'maxInstances', label: 'max instances' }] },
];

const WIDTH = 820;
const LABEL_X = 12;
const BAR_X = 200;
const BAR_W = 330;
const VALUE_X = BAR_X + BAR_W + 10;
const ROW_H = 17;
const BAR_H = 11;
const HEAD_H = 20;

/** Looks up the comparison row of a result's metric, when a baseline was given. */
export type RowLookup = (result: PlatformResult, metric: MetricKey) => MetricComparison | undefined;

/** The <pattern> definitions every chart refers to: one hatch per platform. Put once per page. */
export function chartDefs(): string {
  const patterns = (Object.entries(PLATFORM_COLOURS) as [Platform, string][]).map(
    ([platform, colour]) =>
      `<pattern id="measured-${platform}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
      `<rect width="6" height="6" fill="${colour}" fill-opacity="0.25"/><rect width="3" height="6" fill="${colour}"/></pattern>`,
  );
  return `<svg class="defs" width="0" height="0" aria-hidden="true" focusable="false"><defs>${patterns.join('')}</defs></svg>`;
}

/** The fill of a result's bars and the word that says how its figures were obtained. */
export function barStyle(result: Pick<PlatformResult, 'platform' | 'provenance' | 'asRun'>): { fill: string; opacity: number; kind: string } {
  if (result.provenance.kind === 'measured') return { fill: `url(#measured-${result.platform})`, opacity: 1, kind: 'measured' };
  return { fill: PLATFORM_COLOURS[result.platform], opacity: result.asRun === undefined ? 1 : 0.45, kind: result.asRun === undefined ? 'modeled' : 'modeled as run' };
}

/** One chart as an SVG string, or undefined when no result has a figure for it. */
export function renderChart(spec: ChartSpec, scenario: { name: string; id: string }, results: readonly PlatformResult[], lookup: RowLookup): string | undefined {
  const ordered = [...results].sort((a, b) => barOrder(a) - barOrder(b));
  const blocks = spec.metrics.map((metric) => ({ metric, bars: ordered.filter((r) => r.metrics[metric.key] !== null) })).filter((block) => block.bars.length > 0);
  if (blocks.length === 0) return undefined;
  const parts: string[] = [];
  let y = 4;
  for (const { metric, bars } of blocks) {
    parts.push(`<text class="metric" x="${LABEL_X}" y="${y + 14}">${esc(metric.label)} <tspan class="key">${esc(metric.key)}</tspan></text>`);
    y += HEAD_H;
    const scale = Math.max(...bars.flatMap((r) => [r.metrics[metric.key]!, lookup(r, metric.key)?.base ?? 0]), 0);
    for (const result of bars) {
      parts.push(barRow(result, metric.key, y, scale, lookup(result, metric.key)));
      y += ROW_H;
    }
    y += 6;
  }
  const titleId = `${scenario.id}-${spec.id}`;
  return (
    `<svg class="chart" data-chart="${spec.id}" role="img" aria-labelledby="${titleId}" viewBox="0 0 ${WIDTH} ${y}" width="${WIDTH}" height="${y}">` +
    `<title id="${titleId}">${esc(`${scenario.name}: ${spec.title}`)}</title>${parts.join('')}</svg>`
  );
}

/** Process, container, VM; within each: the model, the model as run, then measurements. */
function barOrder(result: PlatformResult): number {
  const kind = result.provenance.kind === 'measured' ? 2 : result.asRun === undefined ? 0 : 1;
  return PLATFORMS.indexOf(result.platform) * 3 + kind;
}

function barRow(result: PlatformResult, key: MetricKey, y: number, scale: number, row: MetricComparison | undefined): string {
  const value = result.metrics[key]!;
  const unit = metricUnit(key);
  const style = barStyle(result);
  const width = scale > 0 ? Math.max(value > 0 ? 1 : 0, (value / scale) * BAR_W) : 0;
  const stats = result.stats?.[key];
  const spread = stats === undefined ? '' : `, ${stats.samples.length} samples, ±${(stats.rme * 100).toFixed(1)}%`;
  const name = resultName(result);
  const tooltip = `${name}, ${key}: ${formatMetricValue(unit, value)} (${style.kind}${spread})`;
  const parts = [
    `<text class="label" x="${BAR_X - 8}" y="${y + BAR_H - 1}" text-anchor="end">${esc(name)}</text>`,
    `<rect class="bar" data-result="${esc(resultKey(result))}" data-metric="${key}" data-kind="${style.kind}" x="${BAR_X}" y="${y}" width="${round(width)}" height="${BAR_H}" fill="${style.fill}"` +
      `${style.opacity === 1 ? '' : ` fill-opacity="${style.opacity}"`} stroke="${PLATFORM_COLOURS[result.platform]}" stroke-width="0.5"><title>${esc(tooltip)}</title></rect>`,
  ];
  let text = formatMetricValue(unit, value);
  if (row !== undefined && row.base !== null) {
    const x = BAR_X + (scale > 0 ? (row.base / scale) * BAR_W : 0);
    parts.push(`<line class="baseline" x1="${round(x)}" x2="${round(x)}" y1="${y - 2}" y2="${y + BAR_H + 2}"><title>${esc(`baseline: ${formatMetricValue(unit, row.base)}`)}</title></line>`);
    if (row.change !== 0) text += ` · base ${formatMetricValue(unit, row.base)} · ${formatChange(row.change)}`;
  }
  const verdict = row === undefined || row.verdict === 'unchanged' ? '' : ` <tspan class="verdict ${row.verdict}">${row.verdict}</tspan>`;
  parts.push(`<text class="value" x="${VALUE_X}" y="${y + BAR_H - 1}">${esc(text)}${verdict}</text>`);
  return parts.join('');
}

/** The legend: platform colours and how modeled, measured, as-run and baseline look. */
export function renderLegend(): string {
  const items: string[] = [];
  let x = 8;
  for (const [platform, colour] of Object.entries(PLATFORM_COLOURS)) {
    items.push(`<rect x="${x}" y="6" width="14" height="11" fill="${colour}"/><text x="${x + 19}" y="16">${platform}</text>`);
    x += 100;
  }
  const kinds: [string, string][] = [
    ['modeled', `<rect x="${x}" y="6" width="14" height="11" fill="#777"/>`],
    ['measured', `<rect x="${x + 110}" y="6" width="14" height="11" fill="url(#measured-vm)" stroke="${PLATFORM_COLOURS.vm}" stroke-width="0.5"/>`],
    ['modeled as run', `<rect x="${x + 220}" y="6" width="14" height="11" fill="#777" fill-opacity="0.45"/>`],
    ['baseline', `<line class="baseline" x1="${x + 367}" x2="${x + 367}" y1="3" y2="20"/>`],
  ];
  const offsets = [0, 110, 220, 360];
  kinds.forEach(([label, mark], i) => items.push(`${mark}<text x="${x + offsets[i]! + 19}" y="16">${label}</text>`));
  return `<svg class="legend" role="img" aria-label="Legend" viewBox="0 0 ${WIDTH} 24" width="${WIDTH}" height="24">${items.join('')}</svg>`;
}

/** Escapes text for HTML and SVG, in text and in attribute values. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function round(value: number): string {
  return String(Math.round(value * 10) / 10);
}
