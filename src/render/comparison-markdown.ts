// The comparison as Markdown, for a CI job summary or a pull-request comment: a headline, the
// environment check, then per scenario the figures that changed (the rest folded away).

import { describeDecidedBy, formatChange, formatMetricValue, headline, isNoteworthy, plural, summaryDetail } from '../compare/describe.js';
import type { Comparison, MetricComparison, ResultComparison, ScenarioComparison } from '../compare/types.js';
import { METRIC_KEYS } from '../report/types.js';

/** Table columns, in order. */
const COLUMNS = ['metric', 'platform', 'base', 'new', 'change', 'verdict', 'decided by'] as const;

/** Renders a whole comparison; ends with a newline. */
export function renderComparisonMarkdown(comparison: Comparison): string {
  const { summary, config } = comparison;
  const lines: string[] = [
    '## isobench comparison',
    '',
    `**${headline(summary)}** (${summaryDetail(summary)})`,
    '',
    `Base \`${code(comparison.base.runId)}\`${from(comparison.base.file)} → new \`${code(comparison.new.runId)}\`${from(comparison.new.file)}. ` +
      `A measured change counts when p < ${config.alpha} and it is at least its minimum effect (${minEffects(comparison)}); ` +
      `a modeled change counts when it is at least its minimum effect (settings: ${cell(config.source)}).`,
    '',
    ...environmentLines(comparison),
  ];
  for (const scenario of comparison.scenarios) lines.push('', ...scenarioLines(scenario));
  return `${lines.join('\n')}\n`;
}

function environmentLines(comparison: Comparison): string[] {
  const { differences, note } = comparison.environment;
  if (differences.length === 0) return [`Environment: ${note}`];
  return [
    `Environment: ${note}`,
    '',
    '| field | base | new | blocks |',
    '|---|---|---|---|',
    ...differences.map((d) => `| ${cell(d.field)} | ${cell(d.base)} | ${cell(d.new)} | ${d.blocking ? 'yes' : 'no'} |`),
  ];
}

function scenarioLines(scenario: ScenarioComparison): string[] {
  const rows = orderedRows(scenario);
  const count = (verdict: MetricComparison['verdict']): number => rows.filter(({ row }) => row.verdict === verdict).length;
  const status = scenario.status === 'both' ? '' : ` (${scenario.status === 'added' ? 'new scenario' : 'removed scenario'})`;
  const lines = [`### ${cell(scenario.name)}${status}: ${plural(count('regression'), 'regression')}, ${plural(count('improvement'), 'improvement')}`, ''];
  if (scenario.inputChanges.length > 0) lines.push(`Scenario inputs changed: ${cell(scenario.inputChanges.join('; '))}.`, '');
  for (const result of scenario.results) {
    for (const note of result.notes) lines.push(`- ${result.name}: ${cell(note)}`);
  }
  if (scenario.results.some((r) => r.notes.length > 0)) lines.push('');
  const shown = rows.filter(({ row }) => isNoteworthy(row));
  const folded = rows.filter(({ row }) => !isNoteworthy(row));
  if (shown.length > 0) lines.push(...table(shown));
  else lines.push('No figure changed.');
  if (folded.length > 0) {
    lines.push('', `<details><summary>${plural(folded.length, 'unchanged figure')}</summary>`, '', ...table(folded), '', '</details>');
  }
  return lines;
}

/** Metric-major order, so that process, container and VM of one metric sit together. */
function orderedRows(scenario: ScenarioComparison): { result: ResultComparison; row: MetricComparison }[] {
  return METRIC_KEYS.flatMap((key) => scenario.results.flatMap((result) => result.metrics.filter((row) => row.metric === key).map((row) => ({ result, row }))));
}

function table(rows: { result: ResultComparison; row: MetricComparison }[]): string[] {
  return [
    `| ${COLUMNS.join(' | ')} |`,
    `|${COLUMNS.map((c) => (c === 'base' || c === 'new' || c === 'change' ? '---:' : '---')).join('|')}|`,
    ...rows.map(({ result, row }) => {
      const verdict = row.verdict === 'regression' ? '**regression**' : row.verdict;
      const cells = [row.metric, result.name, formatMetricValue(row.unit, row.base), formatMetricValue(row.unit, row.new), formatChange(row.change), verdict, describeDecidedBy(row)];
      return `| ${cells.map(cell).join(' | ')} |`;
    }),
  ];
}

/** "10% (startupP99Ms 20%)": the default and every metric that differs from it. */
function minEffects(comparison: Comparison): string {
  const values = Object.entries(comparison.config.minEffect);
  const counts = new Map<number, number>();
  for (const [, v] of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const common = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
  const others = values.filter(([, v]) => v !== common).map(([k, v]) => `${k} ${pct(v)}`);
  return others.length === 0 ? pct(common) : `${pct(common)}; ${others.join(', ')}`;
}

function pct(fraction: number): string {
  return `${Number((fraction * 100).toFixed(2))}%`;
}

function from(file: string | undefined): string {
  return file === undefined ? '' : ` (${cell(file)})`;
}

/** Table-cell safe: no pipes, no line breaks, no HTML. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r?\n/g, ' ');
}

function code(text: string): string {
  return text.replace(/`/g, "'");
}
