// `isobench compare BASE NEW` and `bench --compare BASE`: read both reports, refuse environments
// that differ (unless allowed), print the comparison as Markdown, write the requested files, and
// answer with the exit code (1 on a regression unless --fail-on none).

import { existsSync } from 'node:fs';
import { EXIT } from './exit-codes.js';
import { resolve } from 'node:path';
import { InputError, UsageError, type Problem } from '../errors.js';
import type { Report } from '../report/types.js';
import { writeFilesAtomic, type OutputFile } from '../report/write.js';
import { renderComparisonMarkdown, renderFiles } from '../render/index.js';
import { compareReports } from '../compare/compare.js';
import { DEFAULT_COMPARE_CONFIG, DEFAULT_CONFIG_FILE, loadCompareConfig } from '../compare/config.js';
import { loadReport } from '../compare/load-report.js';
import type { Comparison, CompareConfig } from '../compare/types.js';

/** The formats of `--report` this module renders (JSON and the run's own Markdown belong to `bench`). */
export const COMPARISON_FORMATS = ['md', 'html', 'csv', 'gab'] as const;
export type ComparisonFormat = (typeof COMPARISON_FORMATS)[number];

/** What the CLI passes in; flags map one to one. */
export interface CompareCommandOptions {
  /** The baseline report file. */
  base: string;
  /** The new report: a file, or the report `bench` just produced (with where it was written, if it was). */
  next: string | { report: Report; file?: string };
  /** --fail-on: 'regression' (default) exits 1 on a regression; 'none' always 0. */
  failOn?: 'regression' | 'none';
  /** --allow-env-change: compare even when measured figures come from different environments. */
  allowEnvChange?: boolean;
  /** --config FILE; without it ./isobench.config.json is used when it exists. */
  config?: string;
  /** --report: files to write into `outDir` (default none for `compare`). */
  reports?: readonly ComparisonFormat[];
  /** Folder for the files (default "results"). */
  outDir?: string;
  /** File name stem: "comparison" for `compare` (default), "report" beside a `bench` run. */
  stem?: string;
  /** Print the comparison Markdown on `out` (default true). */
  print?: boolean;
  io: { out(text: string): void; err(text: string): void };
  /** Folder the default config file is looked up in (default the working folder). */
  cwd?: string;
}

/** Runs a comparison end to end; resolves to the exit code, throws InputError/UsageError/OutputError. */
export async function compareCommand(options: CompareCommandOptions): Promise<number> {
  const failOn = options.failOn ?? 'regression';
  if (failOn !== 'regression' && failOn !== 'none') throw new UsageError(`--fail-on must be "regression" or "none", not "${String(failOn)}"`);
  const config = await configFor(options);
  const base = await loadReport(options.base);
  const { report: next, file: nextFile } = typeof options.next === 'string' ? { report: await loadReport(options.next), file: options.next } : options.next;
  const comparison = compareReports(base, next, config, nextFile === undefined ? { base: options.base } : { base: options.base, new: nextFile });

  const blocking = comparison.environment.differences.filter((d) => d.blocking);
  if (blocking.length > 0 && options.allowEnvChange !== true) throw environmentRefusal(comparison, options.base, nextFile);
  if (blocking.length > 0) options.io.err(`isobench compare: comparing across ${blocking.length} environment difference(s) (--allow-env-change); see the Environment table\n`);

  if (options.print !== false) options.io.out(renderComparisonMarkdown(comparison));
  const files = comparisonFiles(next, comparison, options.reports ?? [], options.outDir ?? 'results', options.stem ?? 'comparison');
  if (files.length > 0) await writeFilesAtomic(files);
  return exitCodeOf(comparison, failOn);
}

/** 1 when a regression was found and --fail-on is not none; else 0. */
export function exitCodeOf(comparison: Comparison, failOn: 'regression' | 'none'): number {
  return failOn === 'regression' && comparison.summary.regressions > 0 ? EXIT.regression : EXIT.ok;
}

/**
 * The files of the requested formats: `<stem>.html` and `<stem>.csv` (the new report with the
 * comparison), `<stem>.gab.json` (github-action-benchmark, customSmallerIsBetter) and, with a
 * comparison, `comparison.md`. Without a comparison, html/csv/gab describe the report alone
 * (what `bench --report html,csv,gab` writes); `md` is then the run's own Markdown, not written here.
 */
export function comparisonFiles(report: Report, comparison: Comparison | undefined, formats: readonly ComparisonFormat[], dir: string, stem: string): OutputFile[] {
  // Without a comparison, md is the run's own Markdown, written by bench itself.
  const wanted = comparison === undefined ? formats.filter((f) => f !== 'md') : formats;
  return renderFiles(report, wanted, { dir, stem, ...(comparison === undefined ? {} : { comparison }) });
}

/** Parses `--report md,html` (comma list, repeatable); throws UsageError naming an unknown format. */
export function parseComparisonFormats(values: readonly string[], extra: readonly string[] = []): ComparisonFormat[] {
  const known: readonly string[] = [...COMPARISON_FORMATS, ...extra];
  const formats = values
    .flatMap((value) => value.split(','))
    .map((f) => f.trim())
    .filter((f) => f !== '');
  const unknown = formats.filter((f) => !known.includes(f));
  if (unknown.length > 0) throw new UsageError(`--report: unknown format ${unknown.map((f) => `"${f}"`).join(', ')}; choose from ${known.join(', ')}`);
  return formats.filter((f): f is ComparisonFormat => (COMPARISON_FORMATS as readonly string[]).includes(f));
}

async function configFor(options: CompareCommandOptions): Promise<CompareConfig> {
  if (options.config !== undefined) return loadCompareConfig(options.config);
  const fallback = resolve(options.cwd ?? process.cwd(), DEFAULT_CONFIG_FILE);
  return existsSync(fallback) ? loadCompareConfig(fallback) : DEFAULT_COMPARE_CONFIG;
}

/** One problem per blocking difference, naming the new report's field, then what to do. */
function environmentRefusal(comparison: Comparison, baseFile: string, nextFile: string | undefined): InputError {
  const file = nextFile ?? '(this run)';
  const problems: Problem[] = comparison.environment.differences.filter((d) => d.blocking).map((d) => ({ file, path: d.field, message: `is ${d.new}, but ${d.base} in the base (${baseFile})` }));
  problems.push({
    file,
    path: '',
    message:
      'measured figures from different environments are not comparable; refusing to compare. ' +
      'Re-run the baseline on this environment (npm run bench:baseline), or pass --allow-env-change to compare anyway',
  });
  return new InputError(problems);
}
