// The rows and columns every tabular renderer shows (terminal, Markdown): one explicit order, labels
// that say modeled or measured, and human units. Renderers only lay these strings out.

import { formatBytes, formatCount, formatMs, formatPercent } from '../units/format.js';
import { METRIC_KEYS, PLATFORMS, metricUnit, type BreakdownItem, type MetricKey, type PlatformResult, type ScenarioReport } from './types.js';

/** Human metric names with their meaning, in METRIC_KEYS order. */
export const METRIC_LABELS: Record<MetricKey, string> = {
  startupFirstMs: 'startup: first ready',
  startupAllMs: 'startup: all ready',
  startupP50Ms: 'startup: p50 instance',
  startupP99Ms: 'startup: p99 instance',
  memorySharedBytes: 'memory: shared',
  memoryPerInstanceBytes: 'memory: per instance',
  memoryUniqueBytes: 'memory: unique',
  memoryTotalBytes: 'memory: total',
  diskSharedBytes: 'disk: shared',
  diskPerInstanceBytes: 'disk: per instance',
  diskTotalBytes: 'disk: total',
  maxInstances: 'max instances on host',
  hostsNeeded: 'hosts needed',
};

/** A table as plain strings: a header row and body rows of the same width. */
export interface TableView {
  head: string[];
  rows: string[][];
}

/** A figure in its unit; null (not measured) is "n/a". */
export function formatMetric(key: MetricKey, value: number | null): string {
  if (value === null) return 'n/a';
  const unit = metricUnit(key);
  if (unit === 'ms') return formatMs(value);
  if (unit === 'bytes') return formatBytes(value);
  return formatCount(value);
}

/** A breakdown item's value in its own unit. */
export function formatItem(item: BreakdownItem): string {
  if (item.unit === 'ms') return formatMs(item.value);
  if (item.unit === 'bytes') return formatBytes(item.value);
  return formatCount(item.value);
}

/** A ratio outside this range says little ("0.00x", "2146x"): shown as n/a, the two figures beside it say more. */
export const RATIO_RANGE = { min: 0.01, max: 1000 } as const;

/** 12.345 -> "12.3x"; "n/a" when either side is missing, the divisor is 0, or the ratio is outside RATIO_RANGE. */
export function formatRatio(numerator: number | null | undefined, denominator: number | null | undefined): string {
  if (numerator == null || denominator == null || denominator === 0 || numerator === 0) return 'n/a';
  const ratio = numerator / denominator;
  if (ratio < RATIO_RANGE.min || ratio >= RATIO_RANGE.max) return 'n/a';
  const digits = ratio >= 100 ? 0 : ratio >= 10 ? 1 : 2;
  return `${ratio.toFixed(digits)}x`;
}

/** The model's error against a measurement: (model - measured) / measured; null when not computable. */
export function modelError(model: number | null, measured: number | null): number | null {
  if (model === null || measured === null) return null;
  if (measured === 0) return model === 0 ? 0 : null;
  return (model - measured) / measured;
}

/** "container (model, docker-runc)", "vm (model as run, qemu-tcg)", "docker (measured)", "qemu tcg (measured)". */
export function resultLabel(result: PlatformResult): string {
  const p = result.provenance;
  if (p.kind === 'modeled') return `${result.platform} (model${result.asRun ? ' as run' : ''}, ${p.profile})`;
  const engine = result.backend === 'qemu' ? `qemu ${p.accelerator ?? 'accelerator unknown'}` : result.backend;
  return `${engine}${result.runtime === undefined ? '' : ` ${result.runtime}`} (measured)`;
}

/** A column head on two lines: what ran, then how the figure was obtained ("container" / "model: docker-runc"). */
export function resultHead(result: PlatformResult): string {
  const p = result.provenance;
  if (p.kind === 'modeled') return `${result.platform}\nmodel${result.asRun ? ' as run' : ''}: ${p.profile}`;
  const engine = result.backend === 'qemu' ? `qemu ${p.accelerator ?? 'accelerator unknown'}` : result.backend;
  return `${engine}\nmeasured${result.runtime === undefined ? '' : `: ${result.runtime}`}`;
}

/** The model results for the scenario as written, in PLATFORMS order (absent platforms skipped; one per compared runtime). */
export function writtenModelResults(scenario: ScenarioReport): PlatformResult[] {
  return PLATFORMS.flatMap((platform) => {
    const results = scenario.results.filter((r) => r.backend === 'model' && !r.asRun && r.platform === platform);
    return results.filter((r, i) => results.findIndex((q) => q.runtime === r.runtime) === i);
  });
}

/** A measurement and the model of the same scenario as run, on the same platform. */
export interface MeasuredPair {
  measured: PlatformResult;
  model: PlatformResult | undefined;
}

/** Measured results in PLATFORMS order, each with its as-run model result. */
export function measuredPairs(scenario: ScenarioReport): MeasuredPair[] {
  return PLATFORMS.flatMap((platform) =>
    scenario.results
      .filter((r) => r.backend !== 'model' && r.platform === platform)
      .map((measured) => ({
        measured,
        model: scenario.results.find((r) => r.backend === 'model' && r.asRun && r.platform === platform && r.runtime === measured.runtime),
      })),
  );
}

/** Rows = metrics; columns = process | container | vm (model) and the VM / container ratio. */
export function modelTable(scenario: ScenarioReport): TableView {
  const results = writtenModelResults(scenario);
  const container = results.find((r) => r.platform === 'container');
  const vm = results.find((r) => r.platform === 'vm');
  const withRatio = container !== undefined && vm !== undefined;
  const head = ['metric', ...results.map(resultHead), ...(withRatio ? ['vm /\ncontainer'] : [])];
  const rows = METRIC_KEYS.map((key) => [METRIC_LABELS[key], ...results.map((r) => formatMetric(key, r.metrics[key])), ...(withRatio ? [formatRatio(vm.metrics[key], container.metrics[key])] : [])]);
  // Capacity counts reserved memory (a VM's whole guest RAM without overcommit): show it when it differs.
  const reserved = results.map(reservedMemoryPerInstance);
  if (results.some((r, i) => reserved[i] !== undefined && Math.abs(reserved[i]! - (r.metrics.memoryPerInstanceBytes ?? 0)) > 0.01 * reserved[i]!)) {
    const at = METRIC_KEYS.indexOf('memoryPerInstanceBytes') + 1;
    const vmReserved = vm === undefined ? undefined : reservedMemoryPerInstance(vm);
    const ctrReserved = container === undefined ? undefined : reservedMemoryPerInstance(container);
    rows.splice(at, 0, ['memory: reserved', ...reserved.map((value) => formatMetric('memoryPerInstanceBytes', value ?? null)), ...(withRatio ? [formatRatio(vmReserved, ctrReserved)] : [])]);
  }
  return { head, rows };
}

/** What capacity counts per instance (the model's capacity breakdown), when the result has it. */
export function reservedMemoryPerInstance(result: PlatformResult): number | undefined {
  return result.breakdown.capacity.find((item) => /^memory (held|reserved) per instance/.test(item.label))?.value;
}

/** Rows = metrics; per measurement: the as-run model, the measured figure (± margin), the model's error. */
export function measuredTable(scenario: ScenarioReport): TableView | undefined {
  const pairs = measuredPairs(scenario);
  if (pairs.length === 0) return undefined;
  const head = ['metric', ...pairs.flatMap(({ measured, model }) => [model ? resultHead(model) : `${measured.platform}\nmodel as run`, resultHead(measured), 'model\nerror'])];
  const rows = METRIC_KEYS.map((key) => [
    METRIC_LABELS[key],
    ...pairs.flatMap(({ measured, model }) => {
      const modeled = model?.metrics[key] ?? null;
      const value = measured.metrics[key];
      const rme = measured.stats?.[key]?.rme;
      const spread = value !== null && rme !== undefined && Number.isFinite(rme) ? ` ±${(rme * 100).toFixed(1)}%` : '';
      const error = modelError(modeled, value);
      return [formatMetric(key, modeled), formatMetric(key, value) + spread, error === null ? 'n/a' : formatPercent(error)];
    }),
  ]);
  return { head, rows };
}

/** One line per scenario fact a reader needs before the table. */
export function scenarioHeader(scenario: ScenarioReport): string[] {
  const h = scenario.host;
  return [
    `${scenario.name} (${scenario.file})`,
    scenario.description,
    `${plural(scenario.totalInstances, 'instance')}: ${describeServices(scenario.services)}; concurrency ${formatCount(scenario.concurrency)}, cache ${scenario.cache}`,
    `${(scenario.cluster?.hosts ?? 1) > 1 ? `${formatCount(scenario.cluster!.hosts)} hosts (${scenario.cluster!.placement}), each` : 'host'}${h.preset === null ? '' : ` ${h.preset}`}: ${h.cpus} cpus, ${formatBytes(h.memoryBytes)} memory, ${formatBytes(h.diskBytes)} disk` +
      `${h.ksm ? ', KSM on' : ''}${h.memoryOvercommit ? ', memory overcommit' : ''}`,
  ];
}

/** Notes and errors of every result, each prefixed by its result label, less those in `omit`. */
export function resultNotes(scenario: ScenarioReport, omit: ReadonlySet<string> = new Set()): string[] {
  return allResultNotes(scenario).filter((note) => !omit.has(note));
}

/** Notes found in two or more scenarios of a run, in first-seen order: said once at the end. */
export function sharedNotes(scenarios: ScenarioReport[]): string[] {
  const seenIn = new Map<string, number>();
  for (const scenario of scenarios) {
    for (const note of new Set(allResultNotes(scenario))) seenIn.set(note, (seenIn.get(note) ?? 0) + 1);
  }
  return [...seenIn].filter(([, count]) => count >= 2).map(([note]) => note);
}

function allResultNotes(scenario: ScenarioReport): string[] {
  return scenario.results.flatMap((result) => [
    ...(result.state === 'completed' ? [] : [`${resultLabel(result)}: ${result.state}${result.error ? `: ${result.error}` : ''}`]),
    ...(result.asRun
      ? [`${resultLabel(result)}: ${formatCount(result.asRun.instances)} of ${formatCount(result.asRun.instancesRequested)} instances, sizes x${result.asRun.scale}, host ${result.asRun.host}`]
      : []),
    ...(result.notes ?? []).map((note) => `${resultLabel(result)}: ${note}`),
  ]);
}

/** A result's fit in a few words: "all 100 fit", "57 of 100 fit (memory)"; undefined without a fit. */
export function fitPhrase(result: PlatformResult, total: number): string | undefined {
  const fit = result.fit;
  if (fit === undefined) return undefined;
  if (fit.fits) return total === 1 ? 'fits' : `all ${formatCount(total)} fit`;
  return `only ${formatCount(fit.instancesThatFit)} of ${formatCount(total)} fit at once (${fit.limitedBy ?? 'capacity'})`;
}

/**
 * The scenario's fit on its host in one line, e.g. "fit on the host: process all 100 fit;
 * vm only 57 of 100 fit at once (memory): startup figures describe what ran". Undefined when no
 * model result carries a fit.
 */
export function fitLine(scenario: ScenarioReport): string | undefined {
  const results = writtenModelResults(scenario);
  const phrases = results.flatMap((r) => {
    const phrase = fitPhrase(r, scenario.totalInstances);
    return phrase === undefined ? [] : [`${r.platform} ${phrase}`];
  });
  if (phrases.length === 0) return undefined;
  const short = results.some((r) => r.fit !== undefined && !r.fit.fits);
  const hosts = scenario.cluster?.hosts ?? 1;
  return `fit on ${hosts > 1 ? `the ${formatCount(hosts)} hosts` : 'the host'}: ${phrases.join('; ')}${short ? ' (startup figures describe the instances that ran; see the notes)' : ''}`;
}

/**
 * The services in brief: "web x1", "api x3, auth x3" (up to 4 named), else grouped by instance
 * count: "40 services x 2", "12 services x 3, 2 services x 1".
 */
export function describeServices(services: readonly { name: string; instances: number }[]): string {
  if (services.length <= 4) return services.map((s) => `${s.name} x${formatCount(s.instances)}`).join(', ');
  const counts = new Map<number, number>();
  for (const s of services) counts.set(s.instances, (counts.get(s.instances) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .map(([instances, n]) => `${plural(n, 'service')} x ${formatCount(instances)}`)
    .join(', ');
}

/** "1 instance", "1,000 instances". */
export function plural(count: number, noun: string): string {
  return `${formatCount(count)} ${noun}${count === 1 ? '' : 's'}`;
}
