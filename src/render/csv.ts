// The report as CSV: one row per scenario, platform, backend and metric, with where each number came
// from; with a comparison, the base value and the verdict beside it. Raw numbers, units in a column.

import { comparisonRows } from '../compare/compare.js';
import { describeDecidedBy } from '../compare/describe.js';
import { resultKey } from '../compare/result-key.js';
import type { Comparison, MetricComparison } from '../compare/types.js';
import { METRIC_KEYS, metricUnit, type PlatformResult, type Report } from '../report/types.js';

/** Report columns, in order. */
export const CSV_COLUMNS = [
  'scenario',
  'platform',
  'backend',
  'as_run',
  'state',
  'profile',
  'provenance',
  'engine',
  'engine_version',
  'accelerator',
  'scale',
  'instances_measured',
  'instances_requested',
  'repetitions',
  'metric',
  'unit',
  'value',
  'samples',
  'mean',
  'p50',
  'p99',
  'rme',
] as const;

/** Columns added when a comparison is given. */
export const CSV_COMPARISON_COLUMNS = ['base', 'change', 'min_effect', 'verdict', 'test', 'p', 'decided_by'] as const;

type Cell = string | number | null | undefined;

/** Renders the report (and the comparison, when given); CRLF-free, ends with a newline. */
export function renderCsv(report: Report, comparison?: Comparison): string {
  const header = comparison === undefined ? [...CSV_COLUMNS] : [...CSV_COLUMNS, ...CSV_COMPARISON_COLUMNS];
  const index = comparison === undefined ? new Map<string, MetricComparison>() : rowIndex(comparison);
  const lines = [header.join(',')];
  for (const scenario of report.scenarios) {
    for (const result of scenario.results) {
      for (const metric of METRIC_KEYS) {
        const cells = [...resultCells(scenario.name, result), ...metricCells(result, metric)];
        if (comparison !== undefined) cells.push(...comparisonCells(index.get(key(scenario.name, resultKey(result), metric))));
        lines.push(cells.map(csvCell).join(','));
      }
    }
  }
  if (comparison !== undefined) {
    // Figures only the base has: no value of their own, the comparison says "removed".
    for (const { scenario, result, row } of comparisonRows(comparison).filter(({ row }) => row.verdict === 'removed')) {
      const cells: Cell[] = [scenario, result.platform, result.backend, result.key.endsWith('-as-run') ? 'yes' : '', ...Array<Cell>(10).fill(''), row.metric, row.unit, '', '', '', '', '', ''];
      lines.push([...cells, ...comparisonCells(row)].map(csvCell).join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}

function resultCells(scenario: string, result: PlatformResult): Cell[] {
  const p = result.provenance;
  if (p.kind === 'modeled') {
    return [scenario, result.platform, result.backend, asRunText(result), result.state, result.profile, `modeled (${p.profileSource})`, '', '', '', '', '', '', ''];
  }
  return [
    scenario,
    result.platform,
    result.backend,
    '',
    result.state,
    result.profile,
    'measured',
    p.engine,
    p.engineVersion,
    p.accelerator,
    p.scale,
    p.instancesMeasured,
    p.instancesRequested,
    p.repetitions,
  ];
}

/** "scale 0.1, 20 of 100 instances, this machine: 2 cpus, 24 GiB" for an as-run model result. */
function asRunText(result: PlatformResult): string {
  const a = result.asRun;
  return a === undefined ? '' : `scale ${a.scale}, ${a.instances} of ${a.instancesRequested} instances, ${a.host}`;
}

function metricCells(result: PlatformResult, metric: (typeof METRIC_KEYS)[number]): Cell[] {
  const stats = result.stats?.[metric];
  return [metric, metricUnit(metric), result.metrics[metric], stats?.samples.length, stats?.mean, stats?.p50, stats?.p99, stats?.rme];
}

function comparisonCells(row: MetricComparison | undefined): Cell[] {
  if (row === undefined) return ['', '', '', '', '', '', ''];
  const test = row.decidedBy.kind === 'test' ? row.decidedBy : undefined;
  return [row.base, row.change, row.minEffect, row.verdict, test?.test ?? (row.decidedBy.kind === 'deterministic' ? 'deterministic' : ''), test?.p, describeDecidedBy(row)];
}

function rowIndex(comparison: Comparison): Map<string, MetricComparison> {
  return new Map(comparisonRows(comparison).map(({ scenario, result, row }) => [key(scenario, result.key, row.metric), row]));
}

function key(scenario: string, result: string, metric: string): string {
  return `${scenario}\u0000${result}\u0000${metric}`;
}

/** RFC 4180 quoting; numbers as JavaScript writes them; null and absent as empty. */
function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
