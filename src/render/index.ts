// Every report renderer by format name: pure functions of the report, one format per file.

import type { Report } from '../report/types.js';
import { renderExplain } from './explain.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderTable } from './table.js';

export interface RenderOptions {
  explain?: boolean;
}

/** A renderer: the report in one format, as a string. */
export type Renderer = (report: Report, options?: RenderOptions) => string;

/** The renderers in the order `--help` lists them. */
export const RENDERERS = {
  table: renderTable,
  markdown: renderMarkdown,
  json: (report: Report) => renderJson(report),
  explain: (report: Report) => renderExplain(report),
} as const satisfies Record<string, Renderer>;

export type RenderFormat = keyof typeof RENDERERS;

export { renderExplain, renderJson, renderMarkdown, renderTable };
