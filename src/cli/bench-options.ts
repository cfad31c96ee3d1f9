// The `bench` command's options: parsed from commander's raw strings and validated in one place,
// before anything is read, started or written. Every problem is a UsageError (exit 2).

import { closest } from 'fastest-levenshtein';
import { BACKEND_NAMES, type BackendName } from '../backends/list.js';
import { UsageError } from '../errors.js';
import { parseSweeps, type SweepSpec } from '../sweep/spec.js';
import { parseDuration } from '../units/duration.js';
import { parseComparisonFormats, type ComparisonFormat } from './compare-command.js';

/** The mock backend measures nothing: offered only to tests (ISOBENCH_MOCK_BACKEND=1). */
const mockAllowed = (): boolean => process.env['ISOBENCH_MOCK_BACKEND'] === '1';

/** The --real names a user may give. */
export function realBackendNames(): BackendName[] {
  return BACKEND_NAMES.filter((name) => name !== 'mock' || mockAllowed());
}
export type RealBackendName = BackendName;

/** What --explain PLATFORM accepts: a platform, or the backend whose results to explain. */
export const EXPLAIN_FILTERS = ['process', 'container', 'vm', 'model', 'docker', 'swarm', 'podman', 'containerd', 'host', 'qemu'] as const;

/** Above this, --real-max-instances is refused: a real run that large is a mistake on one host. */
export const HARD_MAX_INSTANCES = 200;

/** Defaults, shown by --help and used when an option is absent. */
export const BENCH_DEFAULTS = {
  results: 'results',
  realScale: 1,
  realMaxInstances: 20,
  repetitions: 5,
  warmup: 1,
  instanceTimeout: '60s',
  /** An instance that times out, is OOM-killed or exits: recorded, and the run goes on. */
  onInstanceFailure: 'continue',
  /** The app's declared startup is added to each measured start, not slept through. */
  realAppStartup: 'add',
  /** Always written: report.json, report.md and report.html; --report adds csv and gab to them. */
  report: 'json,md,html',
  failOn: 'regression',
} as const;

/** What commander hands over: strings as typed, repeatable options as arrays. */
export interface RawBenchOptions {
  scenario?: string[];
  json?: boolean;
  explain?: boolean | string;
  results?: string;
  sweep?: string[];
  profile?: string;
  real?: string[];
  realScale?: string;
  realMaxInstances?: string;
  repetitions?: string;
  warmup?: string;
  instanceTimeout?: string;
  onInstanceFailure?: string;
  realAppStartup?: string;
  compare?: string;
  report?: string[];
  failOn?: string;
  allowEnvChange?: boolean;
  config?: string;
}

/** Validated options of one `bench` run. */
export interface BenchOptions {
  /** Scenario files as given; empty means every scenarios/*.yaml. */
  scenarioFiles: string[];
  json: boolean;
  /** --explain: every breakdown; --explain vm: the breakdowns of one platform or backend only. */
  explain: boolean;
  explainOnly: string | undefined;
  /** --results DIR; undefined: `results/` beside the scenarios' project (see results-dir.ts). */
  resultsDir: string | undefined;
  /** --sweep FIELD=V1,V2,...: every point of each sweep is a scenario of its own in the report. */
  sweeps: SweepSpec[];
  profileFile: string | undefined;
  /** Real backends to run, in the order given, without duplicates. */
  real: RealBackendName[];
  realScale: number;
  realMaxInstances: number;
  repetitions: number;
  warmup: number;
  instanceTimeoutMs: number;
  /** An instance failed (timeout, OOM kill, exit): 'continue' records it and goes on; 'stop' ends the real phase (exit 3). */
  onInstanceFailure: 'continue' | 'stop';
  /** 'add': the declared app startup is added to each measured start; 'sleep': the app waits it out. */
  appStartup: 'add' | 'sleep';
  /** --compare BASE: compare this run with a baseline report. */
  compareBase: string | undefined;
  /** Extra files beside report.json and report.md (html, csv, gab; md adds comparison.md with --compare). */
  reportFormats: ComparisonFormat[];
  failOn: 'regression' | 'none';
  allowEnvChange: boolean;
  /** --config FILE for comparison settings (default ./isobench.config.json when present). */
  configFile: string | undefined;
}

/** Checks every option at once; throws one UsageError listing each problem. */
export function parseBenchOptions(raw: RawBenchOptions): BenchOptions {
  const problems: string[] = [];
  const real = parseRealList(raw.real ?? [], problems);
  const realScale = parseNumber('--real-scale', raw.realScale, BENCH_DEFAULTS.realScale, { min: 0.001, max: 10, integer: false }, problems);
  const realMaxInstances = parseNumber('--real-max-instances', raw.realMaxInstances, BENCH_DEFAULTS.realMaxInstances, { min: 1, max: Infinity, integer: true }, problems);
  if (realMaxInstances > HARD_MAX_INSTANCES) {
    problems.push(`--real-max-instances ${realMaxInstances} is above the hard limit of ${HARD_MAX_INSTANCES} instances per real run on one host; ` + 'use the model (no --real) for larger scenarios');
  }
  const repetitions = parseNumber('--repetitions', raw.repetitions, BENCH_DEFAULTS.repetitions, { min: 1, max: 1000, integer: true }, problems);
  const warmup = parseNumber('--warmup', raw.warmup, BENCH_DEFAULTS.warmup, { min: 0, max: 100, integer: true }, problems);
  const timeout = parseDuration(raw.instanceTimeout ?? BENCH_DEFAULTS.instanceTimeout);
  let instanceTimeoutMs = 0;
  if (!timeout.ok) problems.push(`--instance-timeout: ${timeout.reason}`);
  else if (timeout.ms < 100 || timeout.ms > 3_600_000) problems.push(`--instance-timeout must be between 100ms and 60min, got ${raw.instanceTimeout}`);
  else instanceTimeoutMs = timeout.ms;
  const onInstanceFailure = raw.onInstanceFailure ?? BENCH_DEFAULTS.onInstanceFailure;
  if (onInstanceFailure !== 'continue' && onInstanceFailure !== 'stop') {
    problems.push(`--on-instance-failure must be "continue" or "stop", got "${onInstanceFailure}"`);
  }
  const resultsDir = raw.results;
  if (resultsDir !== undefined && resultsDir.trim() === '') problems.push('--results needs a folder name');
  let sweeps: SweepSpec[] = [];
  try {
    sweeps = parseSweeps(raw.sweep ?? []);
  } catch (error) {
    problems.push((error as Error).message);
  }
  if (sweeps.length > 0 && real.length > 0) {
    problems.push('--sweep runs the model only; measure single points with --real (e.g. --scenario FILE --real docker), not a sweep');
  }
  const explainOnly = typeof raw.explain === 'string' ? raw.explain : undefined;
  if (explainOnly !== undefined && !(EXPLAIN_FILTERS as readonly string[]).includes(explainOnly)) {
    const hint = closest(explainOnly, [...EXPLAIN_FILTERS]);
    problems.push(`--explain: unknown platform "${explainOnly}" (did you mean "${hint}"?); choose from ${EXPLAIN_FILTERS.join(', ')}`);
  }
  for (const file of raw.scenario ?? []) if (file.trim() === '') problems.push('--scenario needs a file name');
  if (raw.profile !== undefined && raw.profile.trim() === '') problems.push('--profile needs a file name');
  let reportFormats: ComparisonFormat[] = [];
  try {
    // --report adds formats: JSON, Markdown and HTML are always written, so csv never drops the HTML.
    const asked = parseComparisonFormats(raw.report ?? [], ['json']);
    reportFormats = [...new Set<ComparisonFormat>(['md', 'html', ...asked])];
  } catch (error) {
    problems.push((error as Error).message);
  }
  const appStartup = raw.realAppStartup ?? BENCH_DEFAULTS.realAppStartup;
  if (appStartup !== 'add' && appStartup !== 'sleep') problems.push(`--real-app-startup must be "add" or "sleep", got "${appStartup}"`);
  const failOn = raw.failOn ?? BENCH_DEFAULTS.failOn;
  if (failOn !== 'regression' && failOn !== 'none') problems.push(`--fail-on must be "regression" or "none", got "${failOn}"`);
  if (raw.compare !== undefined && raw.compare.trim() === '') problems.push('--compare needs a baseline report file');
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  return {
    scenarioFiles: raw.scenario ?? [],
    json: raw.json ?? false,
    explain: raw.explain !== undefined && raw.explain !== false,
    explainOnly,
    resultsDir,
    sweeps,
    profileFile: raw.profile,
    real,
    realScale,
    realMaxInstances,
    repetitions,
    warmup,
    instanceTimeoutMs,
    onInstanceFailure: onInstanceFailure as 'continue' | 'stop',
    appStartup: appStartup as 'add' | 'sleep',
    compareBase: raw.compare,
    reportFormats,
    failOn: failOn as 'regression' | 'none',
    allowEnvChange: raw.allowEnvChange ?? false,
    configFile: raw.config,
  };
}

/** "--real docker --real host,qemu" -> ["docker", "host", "qemu"]. */
function parseRealList(values: string[], problems: string[]): RealBackendName[] {
  const known: string[] = realBackendNames();
  const names: RealBackendName[] = [];
  for (const name of values.flatMap((value) => value.split(',')).map((name) => name.trim())) {
    if (known.includes(name)) {
      if (!names.includes(name as RealBackendName)) names.push(name as RealBackendName);
    } else {
      const hint = name === '' ? '' : ` (did you mean "${closest(name, known)}"?)`;
      problems.push(`--real: unknown backend "${name}"${hint}; choose from ${known.join(', ')}`);
    }
  }
  return names;
}

interface Range {
  min: number;
  max: number;
  integer: boolean;
}

function parseNumber(flag: string, text: string | undefined, fallback: number, range: Range, problems: string[]): number {
  if (text === undefined) return fallback;
  const pattern = range.integer ? /^\d+$/ : /^\d+(\.\d+)?$/;
  const value = Number(text);
  if (!pattern.test(text.trim()) || !Number.isFinite(value)) {
    problems.push(`${flag} must be ${range.integer ? 'a whole number' : 'a number'}, got "${text}"`);
    return fallback;
  }
  if (value < range.min || value > range.max) {
    const max = range.max === Infinity ? '' : ` and at most ${range.max}`;
    problems.push(`${flag} must be at least ${range.min}${max}, got ${text}`);
    return fallback;
  }
  return value;
}
