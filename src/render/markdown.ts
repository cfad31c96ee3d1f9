// The report as Markdown (results/report.md, CI job summaries): the same tables as the terminal.

import type { Environment, MetricKey, Report, ScenarioReport, SweepReport } from '../report/types.js';
import { describeCrossings, sweepCrossings, sweepSeries, sweepTables } from '../report/sweep-view.js';
import { formatBytes } from '../units/format.js';
import { fitLine, measuredTable, modelTable, resultNotes, scenarioHeader, sharedNotes, type TableView } from '../report/view.js';
import { renderExplainMarkdown } from './explain.js';
import { fidelityTable, summaryTable } from './summary.js';

export interface MarkdownOptions {
  /** Include each result's breakdown in a collapsed <details> block. */
  explain?: boolean;
}

/** The whole report as GitHub-flavoured Markdown. */
export function renderMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const parts = ['# isobench report', describeRun(report)];
  if (report.partial) parts.push('> **Partial run**: stopped early; the notes below say what completed.');
  parts.push('## Summary (model, scenarios as written)', pipeTable(summaryTable(report.scenarios), 1));
  const fidelity = fidelityTable(report.scenarios);
  if (fidelity) parts.push('## Model error against measurements (scenarios as run)', pipeTable(fidelity, 2));
  const shared = sharedNotes(report.scenarios);
  for (const sweep of report.sweeps ?? []) parts.push(renderSweep(report, sweep));
  for (const scenario of report.scenarios) parts.push(renderScenario(scenario, new Set(shared), options));
  const notes = [...shared, ...report.notes];
  if (notes.length > 0) parts.push('## Notes', notes.map((note) => `- ${escapeText(note)}`).join('\n'));
  return `${parts.join('\n\n')}\n`;
}

function describeRun(report: Report): string {
  return `isobench ${report.tool.version}, run \`${report.runId}\`, ${report.createdAt}, on ${describeEnvironment(report.environment)}.`;
}

function describeEnvironment(env: Environment): string {
  const engines = Object.keys(env.engines);
  const base = `${env.os} ${env.arch} (kernel ${env.kernel}), ${env.cpus} cpus, ${formatBytes(env.memoryBytes)}, Node ${env.node}`;
  return engines.length === 0 ? base : `${base}; engines: ${engines.join(', ')}`;
}

/** The headline metrics of a sweep in the open, the others folded. */
const SWEEP_HEADLINES: readonly MetricKey[] = ['startupAllMs', 'memoryTotalBytes', 'diskTotalBytes', 'maxInstances'];

function renderSweep(report: Report, sweep: SweepReport): string {
  const parts = [`## ${escapeText(sweep.scenario)}, swept over ${escapeText(sweep.key)}`, `Points: ${sweep.values.map((v) => `\`${sweep.key}=${v}\``).join(', ')} (each in full below).`];
  const folded: string[] = [];
  for (const { key, table } of sweepTables(report, sweep)) {
    const crossings = describeCrossings(sweep, sweepCrossings(sweepSeries(report, sweep, key), key)).map((c) => `- break-even: ${c}`);
    const block = [pipeTable(table, 1), ...(crossings.length > 0 ? [crossings.join('\n')] : [])].join('\n\n');
    if (SWEEP_HEADLINES.includes(key)) parts.push(block);
    else folded.push(block);
  }
  if (folded.length > 0) parts.push(['<details><summary>The other metrics</summary>', '', folded.join('\n\n'), '', '</details>'].join('\n'));
  return parts.join('\n\n');
}

function renderScenario(scenario: ScenarioReport, shared: ReadonlySet<string>, options: MarkdownOptions): string {
  const [title = '', description = '', ...facts] = scenarioHeader(scenario);
  const parts = [`## ${escapeText(title)}`, escapeText(description), facts.map((fact) => `- ${escapeText(fact)}`).join('\n')];
  parts.push(pipeTable(modelTable(scenario), 1));
  const fit = fitLine(scenario);
  if (fit !== undefined) parts.push(`**${escapeText(fit)}**`);
  const measured = measuredTable(scenario);
  if (measured) parts.push('Measured beside the model of the scenario as run:', pipeTable(measured, 1));
  const notes = resultNotes(scenario, shared);
  if (notes.length > 0) parts.push(notes.map((note) => `- ${escapeText(note)}`).join('\n'));
  if (options.explain) {
    parts.push(renderExplainMarkdown(scenario));
  }
  return parts.join('\n\n');
}

/** A pipe table; the first `textColumns` columns left-aligned, figures right-aligned. */
export function pipeTable(view: TableView, textColumns: number): string {
  const row = (cells: string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  const rule = `|${view.head.map((_, i) => (i < textColumns ? ' --- ' : ' ---: ')).join('|')}|`;
  return [row(view.head), rule, ...view.rows.map(row)].join('\n');
}

function escapeCell(text: string): string {
  return escapeText(text).replaceAll('|', '\\|').replaceAll('\n', '<br>');
}

/** Keeps user text (descriptions, notes) from opening HTML tags. */
function escapeText(text: string): string {
  return text.replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
