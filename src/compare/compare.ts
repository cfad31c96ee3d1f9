// The comparison itself: two reports in, per scenario/platform/backend/metric verdicts out.
// Pure: no I/O, no clock; the command around it reads the files and decides the exit code.

import { METRIC_KEYS, metricUnit, type MetricKey, type PlatformResult, type Report, type ScenarioReport } from '../report/types.js';
import { DEFAULT_COMPARE_CONFIG } from './config.js';
import { isWorse, relativeChange } from './direction.js';
import { environmentDifferences, environmentNote, type ResultPair } from './environment.js';
import { resultKey, resultName } from './result-key.js';
import { mannWhitneyU } from './stats.js';
import type { CompareConfig, Comparison, ComparisonSummary, DecidedBy, MetricComparison, ReportRef, ResultComparison, ScenarioComparison } from './types.js';

/** Floating-point slack so that a change of exactly the minimum effect counts. */
const EPSILON = 1e-9;

/** Compares every figure of `next` with `base`; files, when given, are named in the result. */
export function compareReports(base: Report, next: Report, config: CompareConfig = DEFAULT_COMPARE_CONFIG, files: { base?: string; new?: string } = {}): Comparison {
  const pairs: ResultPair[] = [];
  const scenarios = matchByKey(base.scenarios, next.scenarios, (s) => s.name).map(([a, b]) => compareScenario(a, b, config, pairs));
  const differences = environmentDifferences(base, next, pairs);
  const measuredPairs = pairs.filter((p) => p.base.provenance.kind === 'measured' && p.new.provenance.kind === 'measured').length;
  return {
    base: ref(base, files.base),
    new: ref(next, files.new),
    config,
    environment: { differences, measuredPairs, note: environmentNote(differences, measuredPairs) },
    scenarios,
    summary: summarize(scenarios),
  };
}

/** Every metric row of a comparison, with where it belongs: what flat renderers (CSV) walk. */
export function comparisonRows(comparison: Comparison): { scenario: string; result: ResultComparison; row: MetricComparison }[] {
  return comparison.scenarios.flatMap((scenario) => scenario.results.flatMap((result) => result.metrics.map((row) => ({ scenario: scenario.name, result, row }))));
}

function compareScenario(base: ScenarioReport | undefined, next: ScenarioReport | undefined, config: CompareConfig, pairs: ResultPair[]): ScenarioComparison {
  const name = (next ?? base)!.name;
  const results = matchByKey(base?.results ?? [], next?.results ?? [], resultKey).map(([a, b]) => {
    if (a !== undefined && b !== undefined) pairs.push({ scenario: name, base: a, new: b });
    return compareResult(a, b, config);
  });
  return {
    name,
    status: base === undefined ? 'added' : next === undefined ? 'removed' : 'both',
    inputChanges: base !== undefined && next !== undefined ? inputChanges(base, next) : [],
    results,
  };
}

function compareResult(base: PlatformResult | undefined, next: PlatformResult | undefined, config: CompareConfig): ResultComparison {
  const any = (next ?? base)!;
  const modeled = (base ?? next)!.provenance.kind === 'modeled' && (next ?? base)!.provenance.kind === 'modeled';
  const metrics: MetricComparison[] = [];
  for (const key of METRIC_KEYS) {
    const a = base?.metrics[key] ?? null;
    const b = next?.metrics[key] ?? null;
    if (a === null && b === null) continue;
    const row = { metric: key, unit: metricUnit(key), provenance: modeled ? 'modeled' : 'measured', base: a, new: b, minEffect: config.minEffect[key] } as const;
    if (a === null || b === null) {
      metrics.push({ ...row, change: null, verdict: a === null ? 'added' : 'removed', decidedBy: { kind: 'one-side' } });
      continue;
    }
    const change = relativeChange(a, b);
    const decidedBy: DecidedBy = modeled ? { kind: 'deterministic' } : testSamples(base!, next!, key, config.alpha);
    const counts = decidedBy.kind === 'deterministic' || (decidedBy.kind === 'test' && decidedBy.p < decidedBy.alpha);
    const beyond = Math.abs(change) >= row.minEffect - EPSILON;
    const verdict = counts && beyond ? (isWorse(key, change) ? 'regression' : 'improvement') : 'unchanged';
    metrics.push({ ...row, change, verdict, decidedBy });
  }
  return {
    platform: any.platform,
    backend: any.backend,
    key: resultKey(any),
    name: resultName(any),
    status: base === undefined ? 'added' : next === undefined ? 'removed' : 'both',
    notes: resultNotes(base, next),
    metrics,
  };
}

/**
 * The test on the samples of one measured metric, or why there is none. Real backends store one
 * sample per measured batch (that batch's p99, first ready, ...), so a startup p99 is tested as
 * batch p99 against batch p99, never on instance starts pooled from the same waves (those are not
 * independent, and their distribution is not the p99's).
 */
function testSamples(base: PlatformResult, next: PlatformResult, key: MetricKey, alpha: number): DecidedBy {
  const a = base.stats?.[key]?.samples ?? [];
  const b = next.stats?.[key]?.samples ?? [];
  if (a.length === 0 || b.length === 0) {
    const side = a.length === 0 && b.length === 0 ? 'on either side' : a.length === 0 ? 'in the base' : 'in the new run';
    return { kind: 'untested', reason: `no samples ${side}` };
  }
  const { test, p, minP } = mannWhitneyU(a, b);
  return { kind: 'test', test, p, alpha, samples: [a.length, b.length], minP };
}

/** Profile changes and unfinished results: things a reader needs beside the numbers. */
function resultNotes(base: PlatformResult | undefined, next: PlatformResult | undefined): string[] {
  const notes: string[] = [];
  for (const [side, result] of [
    ['base', base],
    ['new', next],
  ] as const) {
    if (result !== undefined && result.state !== 'completed') {
      notes.push(`${side}: ${result.state}${result.error === undefined ? '' : ` (${result.error})`}`);
    }
  }
  if (base === undefined || next === undefined) return notes;
  if (base.profile !== next.profile) notes.push(`profile ${base.profile} → ${next.profile}`);
  const [a, b] = [base.provenance, next.provenance];
  if (a.kind === 'modeled' && b.kind === 'modeled' && a.profileSource !== b.profileSource) {
    notes.push(`profile source ${a.profileSource} → ${b.profileSource}`);
  }
  if (a.kind === 'measured' && b.kind === 'measured' && a.repetitions !== b.repetitions) {
    notes.push(`repetitions ${a.repetitions} → ${b.repetitions}`);
  }
  if (base.asRun !== undefined && next.asRun !== undefined) {
    const [x, y] = [base.asRun, next.asRun];
    if (x.scale !== y.scale) notes.push(`as run: scale ${x.scale} → ${y.scale}`);
    if (x.instances !== y.instances) notes.push(`as run: instances ${x.instances} → ${y.instances}`);
    if (x.host !== y.host) notes.push(`as run: host ${x.host} → ${y.host}`);
  }
  return notes;
}

/** Scenario inputs that changed: a modeled change follows from these or from the model itself. */
function inputChanges(base: ScenarioReport, next: ScenarioReport): string[] {
  const changes: string[] = [];
  const note = (field: string, a: unknown, b: unknown): void => {
    if (a !== b) changes.push(`${field} ${String(a)} → ${String(b)}`);
  };
  note('totalInstances', base.totalInstances, next.totalInstances);
  note('concurrency', base.concurrency, next.concurrency);
  note('cache', base.cache, next.cache);
  for (const key of Object.keys(base.host) as (keyof ScenarioReport['host'])[]) note(`host.${key}`, base.host[key], next.host[key]);
  // Reports written before clusters have no `cluster`: one host, spread.
  const cluster = (s: ScenarioReport): string => `${s.cluster?.hosts ?? 1} host(s), ${s.cluster?.placement ?? 'spread'}`;
  note('cluster', cluster(base), cluster(next));
  const services = (s: ScenarioReport): string => s.services.map((x) => `${x.name}x${x.instances}`).join(', ');
  note('services', services(base), services(next));
  return changes;
}

/** Pairs items of two lists by key: base order first, then what only the new list has. */
function matchByKey<T>(base: readonly T[], next: readonly T[], key: (item: T) => string): [T | undefined, T | undefined][] {
  const nextByKey = new Map(next.map((item) => [key(item), item]));
  const baseKeys = new Set(base.map(key));
  return [
    ...base.map((item): [T | undefined, T | undefined] => [item, nextByKey.get(key(item))]),
    ...next.filter((item) => !baseKeys.has(key(item))).map((item): [T | undefined, T | undefined] => [undefined, item]),
  ];
}

function summarize(scenarios: readonly ScenarioComparison[]): ComparisonSummary {
  const summary: ComparisonSummary = { scenarios: scenarios.length, regressions: 0, improvements: 0, unchanged: 0, added: 0, removed: 0, untested: 0 };
  for (const row of scenarios.flatMap((s) => s.results.flatMap((r) => r.metrics))) {
    if (row.verdict === 'regression') summary.regressions += 1;
    else if (row.verdict === 'improvement') summary.improvements += 1;
    else if (row.verdict === 'unchanged') summary.unchanged += 1;
    else if (row.verdict === 'added') summary.added += 1;
    else summary.removed += 1;
    if (row.decidedBy.kind === 'untested') summary.untested += 1;
  }
  return summary;
}

function ref(report: Report, file: string | undefined): ReportRef {
  return file === undefined ? { runId: report.runId, createdAt: report.createdAt } : { runId: report.runId, createdAt: report.createdAt, file };
}
