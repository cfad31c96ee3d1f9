// The report as JSON: the machine-readable form (--json on stdout, results/report.json).

import type { Report } from '../report/types.js';

/** Stable output: the report's own field order, two-space indent, trailing newline. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
