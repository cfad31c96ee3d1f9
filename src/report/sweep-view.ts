// A sweep's figures as tables and series: per metric, one row per point and one column per
// platform (the model of the scenario as written), for the terminal, Markdown and the HTML chart.

import { formatRatio, formatMetric, METRIC_LABELS, writtenModelResults, type TableView } from './view.js';
import { METRIC_KEYS, PLATFORMS, type MetricKey, type Platform, type Report, type ScenarioReport, type SweepReport } from './types.js';

/** One platform's line across the points: null where a point has no figure. */
export interface SweepSeries {
  platform: Platform;
  /** Profile of the platform's model result at the first point, e.g. "docker-runc". */
  profile: string;
  values: (number | null)[];
}

/** The scenario entries of a sweep's points, in order (undefined where the report lacks one). */
export function sweepPoints(report: Report, sweep: SweepReport): (ScenarioReport | undefined)[] {
  return sweep.points.map((name) => report.scenarios.find((s) => s.name === name));
}

/** Names of every scenario entry that is a point of some sweep. */
export function sweepPointNames(report: Report): Set<string> {
  return new Set((report.sweeps ?? []).flatMap((sweep) => sweep.points));
}

/** Per platform present at any point: the metric's value at each point. */
export function sweepSeries(report: Report, sweep: SweepReport, key: MetricKey): SweepSeries[] {
  const points = sweepPoints(report, sweep);
  return PLATFORMS.flatMap((platform) => {
    const results = points.map((point) => (point === undefined ? undefined : writtenModelResults(point).find((r) => r.platform === platform)));
    const first = results.find((r) => r !== undefined);
    if (first === undefined || first.provenance.kind !== 'modeled') return [];
    return [{ platform, profile: first.provenance.profile, values: results.map((r) => r?.metrics[key] ?? null) }];
  });
}

/** One table per metric: rows = "KEY=VALUE" points, columns = platforms and vm / container. */
export function sweepTables(report: Report, sweep: SweepReport): { key: MetricKey; table: TableView }[] {
  return METRIC_KEYS.map((key) => {
    const series = sweepSeries(report, sweep, key);
    const vm = series.find((s) => s.platform === 'vm');
    const container = series.find((s) => s.platform === 'container');
    const withRatio = vm !== undefined && container !== undefined;
    const head = [METRIC_LABELS[key], ...series.map((s) => s.platform), ...(withRatio ? ['vm/ctr'] : [])];
    const rows = sweep.values.map((value, i) => [
      `${sweep.key}=${value}`,
      ...series.map((s) => formatMetric(key, s.values[i] ?? null)),
      ...(withRatio ? [formatRatio(vm.values[i], container.values[i])] : []),
    ]);
    return { key, table: { head, rows } };
  });
}

/** Where two platforms' lines cross between neighbouring points (the break-even), by metric. */
export interface Crossing {
  key: MetricKey;
  a: Platform;
  b: Platform;
  /** Index of the point before the crossing; the crossing lies between it and the next. */
  after: number;
  /** Fraction of the way from point `after` to the next, where the lines (linear between points) meet. */
  at: number;
}

/** Every crossing of two platforms' lines for one metric (touching at a point counts once). */
export function sweepCrossings(series: readonly SweepSeries[], key: MetricKey): Crossing[] {
  const out: Crossing[] = [];
  for (let i = 0; i < series.length; i++) {
    for (let j = i + 1; j < series.length; j++) {
      const a = series[i]!;
      const b = series[j]!;
      for (let k = 0; k + 1 < a.values.length; k++) {
        const [a0, a1, b0, b1] = [a.values[k], a.values[k + 1], b.values[k], b.values[k + 1]];
        if (a0 == null || a1 == null || b0 == null || b1 == null) continue;
        const d0 = a0 - b0;
        const d1 = a1 - b1;
        // A sign change (strictly), or equal at the far point after differing: one crossing each.
        if ((d0 < 0 && d1 > 0) || (d0 > 0 && d1 < 0) || (d0 !== 0 && d1 === 0)) {
          out.push({ key, a: a.platform, b: b.platform, after: k, at: d0 / (d0 - d1) });
        }
      }
    }
  }
  return out;
}

/** "vm and container cross between instances=10 and instances=100": for the terminal and Markdown. */
export function describeCrossings(sweep: SweepReport, crossings: readonly Crossing[]): string[] {
  return crossings.map((c) => {
    const from = `${sweep.key}=${sweep.values[c.after]}`;
    const to = `${sweep.key}=${sweep.values[c.after + 1]}`;
    return c.at >= 1 ? `${c.a} and ${c.b} meet at ${to}` : `${c.a} and ${c.b} cross between ${from} and ${to}`;
  });
}
