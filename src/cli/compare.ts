// `isobench compare BASE NEW`: flags checked here; the command itself is ./compare-command.ts.

import { compareCommand, parseComparisonFormats } from './compare-command.js';
import { UsageError } from '../errors.js';
import type { CliIo } from './io.js';

/** What commander hands over for `compare`. */
export interface RawCompareOptions {
  failOn: string;
  allowEnvChange?: boolean;
  config?: string;
  report?: string[];
  results: string;
}

/** Validates the flags and runs the comparison; resolves to 0, or 1 on a regression. */
export async function runCompare(base: string, next: string, raw: RawCompareOptions, io: CliIo): Promise<number> {
  if (raw.failOn !== 'regression' && raw.failOn !== 'none') throw new UsageError(`--fail-on must be "regression" or "none", got "${raw.failOn}"`);
  return compareCommand({
    base,
    next,
    failOn: raw.failOn,
    allowEnvChange: raw.allowEnvChange ?? false,
    ...(raw.config === undefined ? {} : { config: raw.config }),
    reports: parseComparisonFormats(raw.report ?? []),
    outDir: raw.results,
    io,
  });
}
