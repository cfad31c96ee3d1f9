// What a comparison of two reports produces: plain data that the comparison renderers read.

import type { Backend, MetricKey, Platform } from '../report/types.js';

/** The verdict on one figure; added/removed when only one side has it. */
export type Verdict = 'regression' | 'improvement' | 'unchanged' | 'added' | 'removed';

/** Which statistical test decided a measured figure. */
export type StatTest = 'mann-whitney-u' | 'permutation';

/** Why a verdict is what it is: the model's determinism, a test and its p, or nothing to test. */
export type DecidedBy =
  | { kind: 'deterministic' }
  | {
      kind: 'test';
      test: StatTest;
      p: number;
      alpha: number;
      /** Sample counts, base then new. */
      samples: [number, number];
      /** The smallest p these sample counts can reach; above alpha no change can ever count. */
      minP: number;
    }
  | { kind: 'untested'; reason: string }
  | { kind: 'one-side' };

/** One metric of one result (scenario, platform, backend) on both sides. */
export interface MetricComparison {
  metric: MetricKey;
  unit: 'ms' | 'bytes' | 'count';
  provenance: 'modeled' | 'measured';
  base: number | null;
  new: number | null;
  /** (new - base) / base; null when a side is missing; +-Infinity when base is 0. */
  change: number | null;
  /** The minimum effect (fraction) this metric had to move to count. */
  minEffect: number;
  verdict: Verdict;
  decidedBy: DecidedBy;
}

/** One platform/backend result of a scenario on both sides. */
export interface ResultComparison {
  platform: Platform;
  backend: Backend;
  /** "container/model", "container/model-as-run", "container/docker" (see result-key.ts). */
  key: string;
  /** "container · model", "container · model as run": how output names it. */
  name: string;
  status: 'both' | 'added' | 'removed';
  /** Profile changes, failed or partial results: what a reader must know about these rows. */
  notes: string[];
  metrics: MetricComparison[];
}

export interface ScenarioComparison {
  name: string;
  status: 'both' | 'added' | 'removed';
  /** Changes of the scenario's own inputs (host, instances, cache): they explain modeled changes. */
  inputChanges: string[];
  results: ResultComparison[];
}

/** One way the two runs' environments differ. */
export interface EnvironmentDifference {
  /** Dotted field, e.g. "environment.kernel" or "scenarios[web].results[container/docker].provenance.engineVersion". */
  field: string;
  base: string;
  new: string;
  /** True when it affects a measured figure compared on both sides: refused unless allowed. */
  blocking: boolean;
}

/** The resolved comparison settings (defaults merged with the config file). */
export interface CompareConfig {
  /** Significance level for measured figures. */
  alpha: number;
  /** Minimum effect per metric, as a fraction (0.1 = 10%). */
  minEffect: Record<MetricKey, number>;
  /** Where the settings came from: "defaults" or the config file path. */
  source: string;
}

export interface ReportRef {
  runId: string;
  createdAt: string;
  /** The file it was read from, when it was read from one. */
  file?: string;
}

export interface ComparisonSummary {
  scenarios: number;
  regressions: number;
  improvements: number;
  unchanged: number;
  added: number;
  removed: number;
  /** Measured figures that could not be tested (no samples on a side). */
  untested: number;
}

/** The whole comparison: environment check, per-scenario figures, totals. */
export interface Comparison {
  base: ReportRef;
  new: ReportRef;
  config: CompareConfig;
  environment: {
    differences: EnvironmentDifference[];
    /** Measured results present on both sides: only these make machine differences matter. */
    measuredPairs: number;
    /** One sentence on how to read the differences. */
    note: string;
  };
  scenarios: ScenarioComparison[];
  summary: ComparisonSummary;
}
