// The breakdown behind every figure (--explain): startup phases, memory parts, disk parts, capacity,
// each with its note or source, and for measurements the samples and their spread.

import { METRIC_KEYS, type BreakdownItem, type PlatformResult, type Report, type ScenarioReport } from '../report/types.js';
import { METRIC_LABELS, formatItem, formatMetric, resultLabel } from '../report/view.js';

/** One line of the tree: how deep it sits and what it says. */
export interface ExplainLine {
  depth: number;
  text: string;
}

const SECTIONS = ['startup', 'memory', 'disk', 'capacity'] as const;

/** The tree for one result, flattened depth-first. */
export function explainLines(result: PlatformResult): ExplainLine[] {
  const lines: ExplainLine[] = [];
  const walk = (item: BreakdownItem, depth: number): void => {
    const note = item.note === undefined ? '' : ` (${item.note})`;
    lines.push({ depth, text: `${item.label}: ${formatItem(item)}${note}` });
    for (const child of item.children ?? []) walk(child, depth + 1);
  };
  for (const section of SECTIONS) {
    const items = result.breakdown[section];
    if (items.length === 0) continue;
    lines.push({ depth: 0, text: section });
    for (const item of items) walk(item, 1);
  }
  const stats = result.stats ?? {};
  const measured = METRIC_KEYS.flatMap((key) => {
    const s = stats[key];
    if (s === undefined) return [];
    const text =
      `${METRIC_LABELS[key]}: n=${s.samples.length}, mean ${formatMetric(key, s.mean)}, p50 ${formatMetric(key, s.p50)}, ` +
      `p99 ${formatMetric(key, s.p99)}, ±${(s.rme * 100).toFixed(1)}%`;
    return [{ depth: 1, text }];
  });
  if (measured.length > 0) lines.push({ depth: 0, text: 'samples' }, ...measured);
  return lines;
}

/** Every result's breakdown of one scenario, indented, for the terminal. */
export function renderExplainText(scenario: ScenarioReport): string {
  return scenario.results
    .map((result) => {
      const tree = explainLines(result);
      const lines = tree.length === 0 ? ['  (no breakdown)'] : tree.map((line) => `${'  '.repeat(line.depth + 1)}${line.text}`);
      return [`${scenario.name}: ${resultLabel(result)}, breakdown`, ...lines].join('\n');
    })
    .join('\n');
}

/** Every result's breakdown of one scenario as nested Markdown lists. */
export function renderExplainMarkdown(scenario: ScenarioReport): string {
  return scenario.results
    .map((result) => {
      const tree = explainLines(result);
      const lines = tree.length === 0 ? ['- (no breakdown)'] : tree.map((line) => `${'  '.repeat(line.depth)}- ${line.text}`);
      return [`**${resultLabel(result)}**`, '', ...lines].join('\n');
    })
    .join('\n\n');
}

/** Only the breakdowns of the whole report, for the terminal. */
export function renderExplain(report: Report): string {
  return `${report.scenarios.map(renderExplainText).join('\n\n')}\n`;
}
