// A sweep in the HTML report: per metric, a line chart with one line per platform across the
// points (evenly spaced, labelled with their values), and a marked break-even wherever two
// platforms' lines cross. Inline SVG, no script.

import { METRIC_KEYS, metricUnit, type MetricKey, type Report, type SweepReport } from '../report/types.js';
import { sweepCrossings, sweepSeries, type Crossing, type SweepSeries } from '../report/sweep-view.js';
import { METRIC_LABELS, formatMetric } from '../report/view.js';
import { PLATFORM_COLOURS, esc } from './html-chart.js';

const W = 400;
const H = 230;
const LEFT = 64;
const RIGHT = 24;
const TOP = 26;
const BOTTOM = 40;

/** Every metric's chart for one sweep, as a grid of SVGs. */
export function sweepChartsHtml(report: Report, sweep: SweepReport, id: string): string {
  const charts = METRIC_KEYS.map((key) => lineChart(sweep, key, sweepSeries(report, sweep, key), `${id}-${key}`)).filter((svg) => svg !== undefined);
  return `<div class="sweep-grid">${charts.join('\n')}</div>`;
}

function lineChart(sweep: SweepReport, key: MetricKey, series: readonly SweepSeries[], titleId: string): string | undefined {
  const values = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  if (values.length === 0) return undefined;
  const n = sweep.values.length;
  const max = Math.max(...values, 0);
  const x = (i: number) => LEFT + (n === 1 ? (W - LEFT - RIGHT) / 2 : (i / (n - 1)) * (W - LEFT - RIGHT));
  const y = (v: number) => TOP + (H - TOP - BOTTOM) * (1 - (max > 0 ? v / max : 0));
  const parts: string[] = [`<text class="metric" x="8" y="16">${esc(METRIC_LABELS[key])} <tspan class="key">${esc(key)}</tspan></text>`];
  // Axes: 0 and the top value; one tick per point.
  parts.push(`<line class="axis" x1="${LEFT}" x2="${W - RIGHT}" y1="${y(0)}" y2="${y(0)}"/>`);
  for (const v of [0, max / 2, max]) parts.push(`<text class="key" x="${LEFT - 6}" y="${r(y(v) + 4)}" text-anchor="end">${esc(formatMetric(key, v))}</text>`);
  sweep.values.forEach((value, i) => parts.push(`<text class="key" x="${r(x(i))}" y="${H - BOTTOM + 16}" text-anchor="middle">${esc(value)}</text>`));
  parts.push(`<text class="key" x="${r((LEFT + W - RIGHT) / 2)}" y="${H - 6}" text-anchor="middle">${esc(sweep.key)}</text>`);
  for (const s of series) {
    const points = s.values.map((v, i) => (v === null ? undefined : `${r(x(i))},${r(y(v))}`)).filter((p) => p !== undefined);
    const colour = PLATFORM_COLOURS[s.platform];
    parts.push(`<polyline class="line" data-platform="${s.platform}" points="${points.join(' ')}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    s.values.forEach((v, i) => {
      if (v === null) return;
      parts.push(
        `<circle class="point" data-platform="${s.platform}" cx="${r(x(i))}" cy="${r(y(v))}" r="3" fill="${colour}"><title>${esc(`${s.platform} (model, ${s.profile}) at ${sweep.key}=${sweep.values[i]}: ${formatMetric(key, v)}`)}</title></circle>`,
      );
    });
  }
  for (const c of sweepCrossings(series, key)) parts.push(crossingMark(c, series, sweep, key, x, y));
  return (
    `<svg class="chart sweep" data-chart="sweep" data-metric="${key}" data-unit="${metricUnit(key)}" role="img" aria-labelledby="${titleId}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}">` +
    `<title id="${titleId}">${esc(`${sweep.scenario}: ${METRIC_LABELS[key]} by ${sweep.key}`)}</title>${parts.join('')}</svg>`
  );
}

/** A ring where two lines cross (linear between points), with the break-even said in its tooltip. */
function crossingMark(c: Crossing, series: readonly SweepSeries[], sweep: SweepReport, key: MetricKey, x: (i: number) => number, y: (v: number) => number): string {
  const a = series.find((s) => s.platform === c.a)!;
  const a0 = a.values[c.after]!;
  const a1 = a.values[c.after + 1]!;
  const cx = x(c.after) + c.at * (x(c.after + 1) - x(c.after));
  const cy = y(a0 + c.at * (a1 - a0));
  const between = `${sweep.key}=${sweep.values[c.after]} and ${sweep.key}=${sweep.values[c.after + 1]}`;
  return (
    `<g class="crossing" data-between="${esc(between)}"><circle cx="${r(cx)}" cy="${r(cy)}" r="6" fill="none" stroke="#111" stroke-width="1.5"/>` +
    `<text class="key" x="${r(cx)}" y="${r(cy - 9)}" text-anchor="middle">break-even</text>` +
    `<title>${esc(`${c.a} and ${c.b} cross between ${between} (${METRIC_LABELS[key]}, about ${formatMetric(key, a0 + c.at * (a1 - a0))})`)}</title></g>`
  );
}

function r(value: number): string {
  return String(Math.round(value * 10) / 10);
}
