// Reads a report file given to `compare` (a baseline or a new run) and rejects anything that is not
// a complete isobench report of this schema version, with one problem per field naming the file.

import { readFile, stat } from 'node:fs/promises';
import type { z } from 'zod';
import { InputError, messageOf, type Problem } from '../errors.js';
import { SCHEMA_VERSION, type Report } from '../report/types.js';
import { jsonErrorPosition } from '../json-position.js';
import { METRICS_ADDED_LATER, reportSchema } from './report-schema.js';
import { resultKey } from './result-key.js';

/** Reports are a few MiB at most; anything far larger is not one. */
export const MAX_REPORT_BYTES = 256 * 1024 ** 2;

/** Problems listed before "... and N more". */
const MAX_PROBLEMS = 20;

// The schema's output must be a Report: this line fails to compile when the two drift apart.
const schemaMatchesReport = (parsed: z.infer<typeof reportSchema>): Report => parsed;
void schemaMatchesReport;

/** Reads and validates one report file; throws InputError naming the file and each bad field. */
export async function loadReport(file: string): Promise<Report> {
  const info = await stat(file).catch(() => null);
  if (info === null) throw problem(file, '', 'no such file');
  if (info.isDirectory()) throw problem(file, '', 'is a directory, not a report file');
  if (info.size > MAX_REPORT_BYTES) throw problem(file, '', `is ${info.size} bytes, too large for an isobench report`);
  const text = await readFile(file, 'utf8');
  return parseReport(text, file);
}

/** Validates report text; `file` names it in problems. */
export function parseReport(text: string, file: string): Report {
  if (text.trim() === '') throw problem(file, '', 'is empty; expected an isobench report (JSON)');
  const data = parseJson(text.replace(/^\uFEFF/, ''), file);
  checkIdentity(data, file);
  const result = reportSchema.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => ({
      file,
      path: formatPath(issue.path),
      message: describeIssue(issue),
    }));
    throw new InputError(capped(problems, file));
  }
  const report = data as Report; // the raw object: keeps optional fields a newer writer added
  fillMetricsAddedLater(report);
  const duplicates = duplicateKeys(report, file);
  if (duplicates.length > 0) throw new InputError(duplicates);
  return report;
}

/** A report written before a metric existed lacks it: it reads as null ("not known"), never as 0. */
function fillMetricsAddedLater(report: Report): void {
  for (const scenario of report.scenarios) {
    for (const result of scenario.results) {
      for (const key of METRICS_ADDED_LATER) if (!(key in result.metrics)) result.metrics[key] = null;
    }
  }
}

/** zod's wording, made plainer: a missing field says so. */
function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) return `missing; expected ${issue.expected}`;
  return issue.message.replace(/^Invalid (input|option): /, '');
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = messageOf(error);
    const truncated = /end of JSON input|Unterminated/i.test(reason);
    const line = jsonErrorPosition(text)?.line ?? text.split('\n').length;
    const hint = truncated ? ' (the file ends before the JSON does: was the run interrupted?)' : '';
    throw new InputError([{ file, path: '', line, message: `not valid JSON: ${reason}${hint}` }]);
  }
}

/** Says plainly when the JSON is not an isobench report at all, or one of another schema version. */
function checkIdentity(data: unknown, file: string): void {
  if (Array.isArray(data)) {
    const gab = data.length > 0 && data.every((entry) => isObject(entry) && 'name' in entry && 'value' in entry);
    throw problem(file, '', gab ? 'is github-action-benchmark data (a list of {name, value}), not an isobench report' : 'is a JSON array; expected an isobench report (an object)');
  }
  if (!isObject(data)) throw problem(file, '', `is a JSON ${data === null ? 'null' : typeof data}; expected an isobench report (an object)`);
  const tool = data['tool'];
  const toolName = isObject(tool) ? tool['name'] : undefined;
  if (toolName !== 'isobench') {
    const found = toolName === undefined ? 'it has no tool.name' : `tool.name is ${JSON.stringify(toolName)}`;
    throw problem(file, 'tool.name', `not an isobench report: ${found}, expected "isobench"`);
  }
  const version = data['schemaVersion'];
  if (version !== SCHEMA_VERSION) {
    throw problem(
      file,
      'schemaVersion',
      `is ${JSON.stringify(version)}; this isobench reads schemaVersion ${SCHEMA_VERSION}: ` + 'compare reports written by the same version, or refresh the baseline with `npm run bench:baseline`',
    );
  }
}

/** Two scenarios of one name, or two results of one platform/backend, could not be matched. */
function duplicateKeys(report: Report, file: string): Problem[] {
  const problems: Problem[] = [];
  const names = new Set<string>();
  report.scenarios.forEach((scenario, s) => {
    if (names.has(scenario.name)) problems.push({ file, path: `scenarios[${s}].name`, message: `duplicate scenario "${scenario.name}"` });
    names.add(scenario.name);
    const keys = new Set<string>();
    scenario.results.forEach((result, r) => {
      const key = resultKey(result);
      if (keys.has(key)) problems.push({ file, path: `scenarios[${s}].results[${r}]`, message: `second ${key} result in scenario "${scenario.name}"` });
      keys.add(key);
    });
  });
  return problems;
}

function capped(problems: Problem[], file: string): Problem[] {
  if (problems.length <= MAX_PROBLEMS) return problems;
  const more = problems.length - MAX_PROBLEMS;
  return [...problems.slice(0, MAX_PROBLEMS), { file, path: '', message: `... and ${more} more problems` }];
}

/** ['scenarios', 0, 'results', 1, 'metrics'] -> "scenarios[0].results[1].metrics". */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    return out === '' ? String(key) : `${out}.${String(key)}`;
  }, '');
}

function problem(file: string, path: string, message: string): InputError {
  return new InputError([{ file, path, message }]);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
