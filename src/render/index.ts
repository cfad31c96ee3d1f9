// Every report renderer by format name: pure functions of the report, one format per file.
// Comparison-aware formats (html, csv) take the comparison as an optional second argument.

import type { Comparison } from '../compare/types.js';
import type { Report } from '../report/types.js';
import { renderComparisonMarkdown } from './comparison-markdown.js';
import { renderCsv } from './csv.js';
import { renderExplain } from './explain.js';
import { renderGab } from './gab.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderTable } from './table.js';

export interface RenderOptions {
  /** Include the breakdown of every figure (table, markdown). */
  explain?: boolean;
  /** A comparison with a baseline (html, csv). */
  comparison?: Comparison;
}

/** A renderer: the report in one format, as a string. */
export type Renderer = (report: Report, options?: RenderOptions) => string;

/** The report renderers, in the order the docs list them. */
export const RENDERERS = {
  table: (report, options = {}) => renderTable(report, options),
  markdown: (report, options = {}) => renderMarkdown(report, options),
  json: (report) => renderJson(report),
  explain: (report) => renderExplain(report),
  html: (report, options = {}) => renderHtml(report, options.comparison),
  csv: (report, options = {}) => renderCsv(report, options.comparison),
  gab: (report) => renderGab(report),
} as const satisfies Record<string, Renderer>;

export type RenderFormat = keyof typeof RENDERERS;

export { renderComparisonMarkdown, renderCsv, renderExplain, renderGab, renderHtml, renderJson, renderMarkdown, renderTable };
