// The breakdown behind every figure (--explain): startup phases, memory parts, disk parts, capacity,
// each with its note or source, and for measurements the samples and their spread.

import { METRIC_KEYS, type BreakdownItem, type PlatformResult, type Report, type ScenarioReport } from '../report/types.js';
import { METRIC_LABELS, formatItem, formatMetric, resultLabel } from '../report/view.js';
import { wrapLine } from './width.js';

/** One line of the tree: how deep it sits and what it says. */
export interface ExplainLine {
  depth: number;
  text: string;
}

const SECTIONS = ['startup', 'memory', 'disk', 'capacity'] as const;

/** The tree for one result, flattened depth-first; siblings that differ only by service name are said once. */
export function explainLines(result: PlatformResult, serviceNames: readonly string[] = []): ExplainLine[] {
  const lines: ExplainLine[] = [];
  const walk = (item: BreakdownItem, depth: number): void => {
    const note = item.note === undefined ? '' : ` (${item.note})`;
    lines.push({ depth, text: `${item.label}: ${formatItem(item)}${note}` });
    for (const child of groupIdentical(item.children ?? [], serviceNames)) walk(child, depth + 1);
  };
  for (const section of SECTIONS) {
    const items = result.breakdown[section];
    if (items.length === 0) continue;
    lines.push({ depth: 0, text: section });
    for (const item of groupIdentical(items, serviceNames)) walk(item, 1);
  }
  const stats = result.stats ?? {};
  const measured = METRIC_KEYS.flatMap((key) => {
    const s = stats[key];
    if (s === undefined) return [];
    const text =
      `${METRIC_LABELS[key]}: n=${s.samples.length}, mean ${formatMetric(key, s.mean)}, p50 ${formatMetric(key, s.p50)}, ` + `p99 ${formatMetric(key, s.p99)}, ±${(s.rme * 100).toFixed(1)}%`;
    return [{ depth: 1, text }];
  });
  if (measured.length > 0) lines.push({ depth: 0, text: 'samples' }, ...measured);
  return lines;
}

/**
 * Siblings whose labels differ only by a service name and whose values, notes and children are the
 * same, as one item naming the services: 14 identical services give one "per instance" item.
 */
export function groupIdentical(items: readonly BreakdownItem[], serviceNames: readonly string[]): BreakdownItem[] {
  if (serviceNames.length < 2 || items.length < 2) return [...items];
  const names = [...serviceNames].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = new RegExp(`(?<![\\w-])(${names.join('|')})(?![\\w-])`);
  const groups = new Map<string, { item: BreakdownItem; names: string[] }>();
  const order: (string | BreakdownItem)[] = [];
  for (const item of items) {
    const match = pattern.exec(item.label);
    if (match === null) {
      order.push(item);
      continue;
    }
    const key = JSON.stringify([item.label.replace(pattern, '\u0000'), item.value, item.unit, item.note, item.children]);
    const group = groups.get(key);
    if (group === undefined) {
      groups.set(key, { item, names: [match[1]!] });
      order.push(key);
    } else group.names.push(match[1]!);
  }
  return order.map((entry) => {
    if (typeof entry !== 'string') return entry;
    const { item, names: found } = groups.get(entry)!;
    if (found.length === 1) return item;
    return { ...item, label: item.label.replace(pattern, listNames(found)) };
  });
}

/** "a, b and c (3 services)", "a, b and 12 more (14 services)". */
function listNames(names: readonly string[]): string {
  const shown = names.length <= 3 ? names.slice(0, -1).join(', ') + ` and ${names.at(-1)}` : `${names.slice(0, 2).join(', ')} and ${names.length - 2} more`;
  return `${shown} (${names.length} services)`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether --explain PLATFORM keeps this result: its platform or its backend, or everything. */
export function explainKeeps(result: PlatformResult, only: string | undefined): boolean {
  return only === undefined || result.platform === only || result.backend === only;
}

export interface ExplainOptions {
  /** A platform (process, container, vm) or backend (model, docker, swarm, podman, containerd, host, qemu): only its results. */
  only?: string;
  /** Wrap lines to this many columns. */
  width?: number;
}

/** Every result's breakdown of one scenario, indented, for the terminal. */
export function renderExplainText(scenario: ScenarioReport, options: ExplainOptions = {}): string {
  const names = scenario.services.map((s) => s.name);
  return scenario.results
    .filter((result) => explainKeeps(result, options.only))
    .map((result) => {
      const tree = explainLines(result, names);
      const lines = tree.length === 0 ? ['  (no breakdown)'] : tree.map((line) => `${'  '.repeat(line.depth + 1)}${line.text}`);
      const all = [`${scenario.name}: ${resultLabel(result)}, breakdown`, ...lines];
      return (options.width === undefined ? all : all.flatMap((line) => wrapLine(line, options.width!, 4))).join('\n');
    })
    .join('\n');
}

/** Every result's breakdown of one scenario as nested Markdown lists, one collapsed section per result. */
export function renderExplainMarkdown(scenario: ScenarioReport): string {
  const names = scenario.services.map((s) => s.name);
  return scenario.results
    .map((result) => {
      const tree = explainLines(result, names);
      const lines = tree.length === 0 ? ['- (no breakdown)'] : tree.map((line) => `${'  '.repeat(line.depth)}- ${line.text}`);
      return [`<details><summary>Breakdown: ${resultLabel(result)}</summary>`, '', ...lines, '', '</details>'].join('\n');
    })
    .join('\n\n');
}

/** Only the breakdowns of the whole report, for the terminal. */
export function renderExplain(report: Report): string {
  return `${report.scenarios.map((scenario) => renderExplainText(scenario)).join('\n\n')}\n`;
}
