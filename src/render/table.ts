// The terminal rendering: per scenario a short header and one cli-table3 table (metrics as rows,
// process | container | vm as columns), measured columns when there are any, then a summary.
// Sweeps print one compact table per metric (points x platforms) instead of a table per point.
// Everything fits `width` columns: text wraps, column heads wrap, wide tables split.
// No colours, so the output is the same on a terminal, in a pipe and in a test.

import Table from 'cli-table3';
import type { Report, ScenarioReport, SweepReport } from '../report/types.js';
import { describeCrossings, sweepCrossings, sweepPoints, sweepPointNames, sweepSeries, sweepTables } from '../report/sweep-view.js';
import { describeServices, fitLine, measuredTable, modelTable, plural, resultNotes, scenarioHeader, sharedNotes, type TableView } from '../report/view.js';
import { renderExplainText } from './explain.js';
import { fidelityTable, summaryTable } from './summary.js';
import { DEFAULT_WIDTH, fitTable, wrapLine } from './width.js';

export interface TableOptions {
  /** Append each result's breakdown (--explain). */
  explain?: boolean;
  /** With explain: only this platform's or backend's breakdowns. */
  explainOnly?: string;
  /** Columns to fit (default 100). */
  width?: number;
}

/** The whole report for a terminal. */
export function renderTable(report: Report, options: TableOptions = {}): string {
  const width = options.width ?? DEFAULT_WIDTH;
  const wrap = (lines: string[], hang = 2) => lines.flatMap((line) => wrapLine(line, width, hang));
  const parts = [wrap(reportHeader(report)).join('\n')];
  const shared = sharedNotes(report.scenarios);
  const points = sweepPointNames(report);
  for (const scenario of report.scenarios) {
    if (!points.has(scenario.name)) parts.push(renderScenario(scenario, new Set(shared), options, width));
  }
  for (const sweep of report.sweeps ?? []) parts.push(renderSweep(report, sweep, new Set(shared), options, width));
  parts.push(['Summary (model, scenarios as written)', layout(summaryTable(report.scenarios), 1, width)].join('\n'));
  const fidelity = fidelityTable(report.scenarios);
  if (fidelity) parts.push(['Model error against measurements (scenarios as run)', layout(fidelity, 2, width)].join('\n'));
  const notes = [...shared, ...report.notes];
  if (notes.length > 0) parts.push(['Notes', ...wrap(notes.map((note) => `- ${note}`))].join('\n'));
  return `${parts.join('\n\n')}\n`;
}

function reportHeader(report: Report): string[] {
  const lines = [`isobench ${report.tool.version}, run ${report.runId}, ${report.createdAt}`];
  if (report.partial) lines.push('PARTIAL RUN: stopped early; see the notes at the end for what completed.');
  return lines;
}

function renderScenario(scenario: ScenarioReport, shared: ReadonlySet<string>, options: TableOptions, width: number): string {
  const [title = '', ...rest] = scenarioHeader(scenario);
  const lines = [...wrapLine(`== ${title}`, width, 3), ...rest.flatMap((line) => wrapLine(`   ${line}`, width, 0)), layout(modelTable(scenario), 1, width)];
  const fit = fitLine(scenario);
  if (fit !== undefined) lines.push(...wrapLine(fit, width, 2));
  const measured = measuredTable(scenario);
  if (measured) lines.push('Measured beside the model of the scenario as run:', layout(measured, 1, width));
  const notes = resultNotes(scenario, shared);
  if (notes.length > 0) lines.push(...notes.flatMap((note) => wrapLine(`- ${note}`, width)));
  if (options.explain) lines.push(renderExplainText(scenario, { width, ...(options.explainOnly === undefined ? {} : { only: options.explainOnly }) }));
  return lines.join('\n');
}

/** A sweep: the scenario's header once, then per metric the points x platforms, and where lines cross. */
function renderSweep(report: Report, sweep: SweepReport, shared: ReadonlySet<string>, options: TableOptions, width: number): string {
  const points = sweepPoints(report, sweep);
  const first = points.find((p) => p !== undefined);
  const lines = wrapLine(`== ${sweep.scenario}, swept over ${sweep.key}: ${sweep.values.join(', ')}${first ? ` (${first.file})` : ''}`, width, 3);
  if (first !== undefined) {
    const [, description = '', , host = ''] = scenarioHeader(first);
    lines.push(...wrapLine(`   ${description}`, width, 0), ...wrapLine(`   ${host}`, width, 0));
    lines.push(...wrapLine(`   points: ${points.map((p) => (p === undefined ? '?' : `${plural(p.totalInstances, 'instance')} (${describeServices(p.services)})`)).join('; ')}`, width, 0));
  }
  for (const { key, table } of sweepTables(report, sweep)) {
    lines.push('', plainTable(table, width));
    for (const crossing of describeCrossings(sweep, sweepCrossings(sweepSeries(report, sweep, key), key))) lines.push(...wrapLine(`  break-even: ${crossing}`, width, 4));
  }
  const notes = [...new Set(points.flatMap((p) => (p === undefined ? [] : resultNotes(p, shared))))];
  if (notes.length > 0) lines.push(...notes.flatMap((note) => wrapLine(`- ${note}`, width)));
  if (options.explain) lines.push(wrapLine('   (the breakdown of each point is in report.md and `--json`)', width, 3).join('\n'));
  return lines.join('\n');
}

/** Lays a view out with cli-table3 (text columns left, figures right, no colour), split to fit `width`. */
function layout(view: TableView, textColumns: number, width: number): string {
  return fitTable(view, textColumns, width)
    .map((part) => {
      const table = new Table({
        head: part.head,
        style: { head: [], border: [], compact: true },
        colAligns: part.head.map((_, i) => (i < textColumns ? 'left' : 'right')),
      });
      table.push(...part.rows);
      return table.toString();
    })
    .join('\n');
}

/** A borderless table for the sweeps' many small tables: the first column left, figures right. */
function plainTable(view: TableView, width: number): string {
  return fitTable(view, 1, width)
    .map((part) => {
      const widths = part.head.map((head, i) => Math.max(head.length, ...part.rows.map((row) => (row[i] ?? '').length)));
      const line = (cells: string[], indent: string) =>
        indent +
        cells
          .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
          .join('  ')
          .trimEnd();
      return [line(part.head, ''), ...part.rows.map((row) => line(row, ''))].join('\n');
    })
    .join('\n');
}
