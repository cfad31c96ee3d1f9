// Comparison settings: significance level and minimum effect per metric, from defaults or the
// `compare` section of a config file (isobench.config.json). Other sections belong to other commands.

import { readFile } from 'node:fs/promises';
import { closest, distance } from 'fastest-levenshtein';
import { z } from 'zod';
import { InputError, type Problem } from '../errors.js';
import { METRIC_KEYS, type MetricKey } from '../report/types.js';
import { formatPath } from './load-report.js';
import type { CompareConfig } from './types.js';

/** The config file looked for in the working folder when --config is not given. */
export const DEFAULT_CONFIG_FILE = 'isobench.config.json';

/** p < 0.01 and a 10% change: the issue's defaults. */
export const DEFAULT_ALPHA = 0.01;
export const DEFAULT_MIN_EFFECT = 0.1;

/** The defaults, used when no config file sets anything. */
export const DEFAULT_COMPARE_CONFIG: CompareConfig = {
  alpha: DEFAULT_ALPHA,
  minEffect: Object.fromEntries(METRIC_KEYS.map((key) => [key, DEFAULT_MIN_EFFECT])) as Record<MetricKey, number>,
  source: 'defaults',
};

const fraction = z
  .number()
  .refine(Number.isFinite, 'expected a finite number')
  .refine((v) => v >= 0, 'expected a fraction >= 0, e.g. 0.1 for 10%');
const minEffectKeys = ['default', ...METRIC_KEYS] as const;

const compareSection = z.strictObject({
  alpha: z.number().gt(0, 'expected a significance level between 0 and 1, e.g. 0.01').lt(1, 'expected a significance level between 0 and 1, e.g. 0.01').optional(),
  minEffect: z.partialRecord(z.enum(minEffectKeys), fraction).optional(),
});

/** The settings in a parsed config object: `{ compare: { alpha, minEffect: { default, <metric>: ... } } }`. */
export function resolveCompareConfig(data: unknown, file: string): CompareConfig {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new InputError([{ file, path: '', message: 'expected a JSON object, e.g. { "compare": { "alpha": 0.01 } }' }]);
  }
  const section = (data as Record<string, unknown>)['compare'];
  if (section === undefined) return { ...DEFAULT_COMPARE_CONFIG, source: file };
  const result = compareSection.safeParse(section);
  if (!result.success) throw new InputError(result.error.issues.flatMap((issue) => toProblems(issue, file)));
  const { alpha = DEFAULT_ALPHA, minEffect = {} } = result.data;
  const fallback = minEffect.default ?? DEFAULT_MIN_EFFECT;
  const perMetric = Object.fromEntries(METRIC_KEYS.map((key) => [key, minEffect[key] ?? fallback])) as Record<MetricKey, number>;
  return { alpha, minEffect: perMetric, source: file };
}

/** Reads a config file; throws InputError naming the file and field when it is unusable. */
export async function loadCompareConfig(file: string): Promise<CompareConfig> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    const reason = error.code === 'ENOENT' ? 'no such file' : error.code === 'EISDIR' ? 'is a directory' : error.message;
    throw new InputError([{ file, path: '', message: reason }]);
  });
  let data: unknown;
  try {
    data = JSON.parse(text) as unknown;
  } catch (error) {
    throw new InputError([{ file, path: '', message: `not valid JSON: ${(error as Error).message}` }]);
  }
  return resolveCompareConfig(data, file);
}

/** Unknown keys get one problem each, with the nearest known key when it is a near miss. */
function toProblems(issue: z.core.$ZodIssue, file: string): Problem[] {
  const base = ['compare', ...issue.path];
  if (issue.code === 'unrecognized_keys') {
    const inMinEffect = issue.path.at(-1) === 'minEffect';
    const known: readonly string[] = inMinEffect ? minEffectKeys : ['alpha', 'minEffect'];
    const message = inMinEffect ? `unknown metric; expected "default" or one of ${METRIC_KEYS.join(', ')}` : 'unknown field; expected alpha or minEffect';
    return issue.keys.map((key) => withSuggestion({ file, path: formatPath([...base, key]), message }, key, known));
  }
  return [{ file, path: formatPath(base), message: issue.message }];
}

function withSuggestion(problem: Problem, key: string, known: readonly string[]): Problem {
  const near = closest(key, [...known]);
  return distance(key, near) <= Math.max(2, Math.floor(key.length / 3)) ? { ...problem, suggestion: near } : problem;
}
