// The report for github-action-benchmark, which keeps history and charts across commits:
// `customSmallerIsBetter` JSON, [{ name, unit, value, range?, extra }]. Capacity (maxInstances) is
// bigger-is-better, so it is left out of that file rather than inverted (an inverted count has no
// meaning a reader could check); render it on its own with direction 'bigger-is-better' for a
// second `customBiggerIsBetter` series.

import { metricDirection, type Direction } from '../compare/direction.js';
import { resultKey } from '../compare/result-key.js';
import { METRIC_KEYS, metricUnit, type PlatformResult, type Report } from '../report/types.js';

/** One entry as github-action-benchmark reads it. */
export interface GabEntry {
  /** "scenario/platform/backend/metric": stable across runs, so history lines up. */
  name: string;
  unit: string;
  value: number;
  /** Spread of a measured figure, shown beside the value. */
  range?: string;
  /** Where the number came from, shown in the chart's tooltip. */
  extra: string;
}

/** The entries of one direction: smaller-is-better by default. Failed results and null figures are left out. */
export function gabEntries(report: Report, direction: Direction = 'smaller-is-better'): GabEntry[] {
  const entries: GabEntry[] = [];
  for (const scenario of report.scenarios) {
    for (const result of scenario.results) {
      if (result.state === 'failed') continue;
      for (const metric of METRIC_KEYS) {
        const value = result.metrics[metric];
        if (value === null || metricDirection(metric) !== direction) continue;
        const stats = result.stats?.[metric];
        const name = `${scenario.name}/${resultKey(result)}/${metric}`;
        const unit = metricUnit(metric);
        const extra = provenanceText(result);
        entries.push(stats === undefined ? { name, unit, value, extra } : { name, unit, value, range: `±${(stats.rme * 100).toFixed(1)}%`, extra: `${extra}; ${stats.samples.length} samples` });
      }
    }
  }
  return entries;
}

/** The JSON file github-action-benchmark reads (tool: customSmallerIsBetter, or customBiggerIsBetter). */
export function renderGab(report: Report, direction: Direction = 'smaller-is-better'): string {
  return `${JSON.stringify(gabEntries(report, direction), null, 2)}\n`;
}

function provenanceText(result: PlatformResult): string {
  const p = result.provenance;
  const state = result.state === 'partial' ? ' (partial)' : '';
  if (p.kind === 'modeled') {
    const asRun = result.asRun === undefined ? '' : `, as run: scale ${result.asRun.scale}, ${result.asRun.instances} of ${result.asRun.instancesRequested} instances, ${result.asRun.host}`;
    return `modeled: profile ${p.profile} (${p.profileSource})${asRun}${state}`;
  }
  const accelerator = p.accelerator === undefined ? '' : ` ${p.accelerator}`;
  return (
    `measured: ${p.engine} ${p.engineVersion ?? 'unknown version'}${accelerator}, scale ${p.scale}, ` + `${p.instancesMeasured}/${p.instancesRequested} instances, ${p.repetitions} repetitions${state}`
  );
}
