// Words for a comparison's figures and verdicts, shared by the Markdown, HTML and CSV renderers
// so that all three say the same thing the same way.

import { formatBytes, formatCount, formatMs, formatPercent } from '../units/format.js';
import type { ComparisonSummary, DecidedBy, MetricComparison } from './types.js';

/** A metric value in human units; "—" when the side has none. */
export function formatMetricValue(unit: MetricComparison['unit'], value: number | null): string {
  if (value === null) return '—';
  if (unit === 'ms') return formatMs(value);
  if (unit === 'bytes') return formatBytes(value);
  return formatCount(value);
}

/** "+20.0%", "—" when a side is missing. */
export function formatChange(change: number | null): string {
  return change === null ? '—' : formatPercent(change);
}

/** 0.0079365 -> "0.0079", 1.4e-9 -> "1.4e-9": two significant digits. */
export function formatP(p: number): string {
  return p >= 0.001 ? p.toPrecision(2) : p.toExponential(1);
}

/** The name a reader knows a test by. */
export function testName(test: Extract<DecidedBy, { kind: 'test' }>['test']): string {
  return test === 'permutation' ? 'exact permutation test (U)' : 'Mann-Whitney U (normal approx.)';
}

/** What decided a row, and why an unchanged row with a moved number stayed unchanged. */
export function describeDecidedBy(row: MetricComparison): string {
  const d = row.decidedBy;
  const belowMin = row.change !== null && row.change !== 0 && Math.abs(row.change) < row.minEffect - 1e-9;
  const minText = `below the ${formatPercent(row.minEffect).replace('+', '')} minimum effect`;
  switch (d.kind) {
    case 'deterministic':
      return `modeled (deterministic)${row.verdict === 'unchanged' && belowMin ? `; ${minText}` : ''}`;
    case 'test': {
      const parts = [`${testName(d.test)}, p=${formatP(d.p)}`];
      if (d.p >= d.alpha) parts.push(`not below ${d.alpha}`);
      else if (belowMin) parts.push(minText);
      if (d.minP >= d.alpha) parts.push(`${d.samples[0]} vs ${d.samples[1]} samples can never reach p<${d.alpha}`);
      return parts.join('; ');
    }
    case 'untested':
      return `not tested: ${d.reason}`;
    case 'one-side':
      return row.verdict === 'added' ? 'only in the new run' : 'only in the base';
  }
}

/** "3 scenarios, 2 regressions, 1 improvement". */
export function headline(summary: ComparisonSummary): string {
  return [plural(summary.scenarios, 'scenario'), plural(summary.regressions, 'regression'), plural(summary.improvements, 'improvement')].join(', ');
}

/** "58 unchanged, 11 added, 0 removed; 3 measured figures untested". */
export function summaryDetail(summary: ComparisonSummary): string {
  const untested = summary.untested === 0 ? '' : `; ${plural(summary.untested, 'measured figure')} without samples, not tested`;
  return `${summary.unchanged} unchanged, ${summary.added} added, ${summary.removed} removed${untested}`;
}

/** "1 regression", "2 regressions", "1,000 instances". */
export function plural(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}

/** Rows a reader must see: any verdict but unchanged, or a number that moved. */
export function isNoteworthy(row: MetricComparison): boolean {
  return row.verdict !== 'unchanged' || (row.change !== null && row.change !== 0);
}
