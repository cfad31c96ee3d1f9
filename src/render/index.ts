// Every report renderer by format name: pure functions of the report, one format per file.
// Comparison-aware formats (html, csv) take the comparison as an optional second argument.

import { join } from 'node:path';
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

/** Every file a run or a comparison can write, by --report name ('json' and 'md' are the run's own report). */
export const FILE_FORMATS = ['json', 'md', 'html', 'csv', 'gab'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

/** One output file: where, and its content. */
export interface RenderedFile {
  path: string;
  content: string;
}

/**
 * The one dispatch from formats to files: `<stem>.json`, `<stem>.md` (the run's Markdown, with
 * breakdowns), `<stem>.html`, `<stem>.csv` (with the comparison when there is one),
 * `<stem>.gab.json` (github-action-benchmark), and with a comparison and 'md', `comparison.md`.
 */
export function renderFiles(report: Report, formats: readonly FileFormat[], target: { dir: string; stem: string; comparison?: Comparison }): RenderedFile[] {
  const at = (name: string): string => join(target.dir, name);
  const files: RenderedFile[] = [];
  for (const format of new Set(formats)) {
    switch (format) {
      case 'json':
        files.push({ path: at(`${target.stem}.json`), content: renderJson(report) });
        break;
      case 'md':
        if (target.comparison !== undefined) files.push({ path: at('comparison.md'), content: renderComparisonMarkdown(target.comparison) });
        else files.push({ path: at(`${target.stem}.md`), content: renderMarkdown(report, { explain: true }) });
        break;
      case 'html':
        files.push({ path: at(`${target.stem}.html`), content: renderHtml(report, target.comparison) });
        break;
      case 'csv':
        files.push({ path: at(`${target.stem}.csv`), content: renderCsv(report, target.comparison) });
        break;
      case 'gab':
        files.push({ path: at(`${target.stem}.gab.json`), content: renderGab(report) });
        break;
    }
  }
  return files;
}
