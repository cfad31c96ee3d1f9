// The terminal rendering: per scenario a short header and one cli-table3 table (metrics as rows,
// process | container | vm as columns), measured columns when there are any, then a summary.
// No colours, so the output is the same on a terminal, in a pipe and in a test.

import Table from 'cli-table3';
import type { Report, ScenarioReport } from '../report/types.js';
import { fitLine, measuredTable, modelTable, resultNotes, scenarioHeader, sharedNotes, type TableView } from '../report/view.js';
import { renderExplainText } from './explain.js';
import { fidelityTable, summaryTable } from './summary.js';

export interface TableOptions {
  /** Append each result's breakdown (--explain). */
  explain?: boolean;
}

/** The whole report for a terminal. */
export function renderTable(report: Report, options: TableOptions = {}): string {
  const parts = [reportHeader(report)];
  const shared = sharedNotes(report.scenarios);
  for (const scenario of report.scenarios) parts.push(renderScenario(scenario, new Set(shared), options));
  parts.push(['Summary (model, scenarios as written)', layout(summaryTable(report.scenarios), 1)].join('\n'));
  const fidelity = fidelityTable(report.scenarios);
  if (fidelity) parts.push(['Model error against measurements (scenarios as run)', layout(fidelity, 2)].join('\n'));
  const notes = [...shared, ...report.notes];
  if (notes.length > 0) parts.push(['Notes', ...notes.map((note) => `- ${note}`)].join('\n'));
  return `${parts.join('\n\n')}\n`;
}

function reportHeader(report: Report): string {
  const lines = [`isobench ${report.tool.version}, run ${report.runId}, ${report.createdAt}`];
  if (report.partial) lines.push('PARTIAL RUN: stopped early; see the notes at the end for what completed.');
  return lines.join('\n');
}

function renderScenario(scenario: ScenarioReport, shared: ReadonlySet<string>, options: TableOptions): string {
  const [title = '', ...rest] = scenarioHeader(scenario);
  const lines = [`== ${title}`, ...rest.map((line) => `   ${line}`), layout(modelTable(scenario), 1)];
  const fit = fitLine(scenario);
  if (fit !== undefined) lines.push(fit);
  const measured = measuredTable(scenario);
  if (measured) lines.push('Measured beside the model of the scenario as run:', layout(measured, 1));
  const notes = resultNotes(scenario, shared);
  if (notes.length > 0) lines.push(...notes.map((note) => `- ${note}`));
  if (options.explain) lines.push(renderExplainText(scenario));
  return lines.join('\n');
}

/** Lays a view out with cli-table3: text columns left, figures right, no colour. */
function layout(view: TableView, textColumns: number): string {
  const table = new Table({
    head: view.head,
    style: { head: [], border: [], compact: true },
    colAligns: view.head.map((_, i) => (i < textColumns ? 'left' : 'right')),
  });
  table.push(...view.rows);
  return table.toString();
}
