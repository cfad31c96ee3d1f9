// Turning measured samples into the report's metrics, stats and breakdown, the same way for every
// real backend: a metric is the mean of its samples, its spread comes from tinybench.

import type { BreakdownItem, MetricKey, SampleStats } from '../../report/types.js';
import type { InstanceOutcome } from './instances.js';
import { sampleStats } from './sample-stats.js';

/** Startup timings gathered over the measured repetitions. */
export interface StartupSamples {
  /** One per repetition: batch start to first / last ready marker. */
  firstReadyMs: number[];
  allReadyMs: number[];
  /** Every ready instance of every repetition: its own start to its ready marker. */
  instanceMs: number[];
  /** Per phase label (in order), every ready instance's time in it. */
  phases: { label: string; note: string; samples: number[] }[];
}

/** Collects one repetition's outcomes into the samples. */
export function addRepetition(samples: StartupSamples, outcomes: readonly InstanceOutcome[], firstReadyMs: number | null, allReadyMs: number | null): void {
  if (firstReadyMs !== null) samples.firstReadyMs.push(firstReadyMs);
  if (allReadyMs !== null && outcomes.every((o) => o.state === 'ready')) samples.allReadyMs.push(allReadyMs);
  for (const outcome of outcomes) {
    if (outcome.state !== 'ready') continue;
    samples.instanceMs.push(outcome.startupMs);
    for (const phase of samples.phases) phase.samples.push(outcome.phases[phase.label] ?? 0);
  }
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** Startup metrics (means over repetitions; p50/p99 over every instance), their stats and breakdown. */
export async function startupPart(samples: StartupSamples): Promise<{
  metrics: Partial<Record<MetricKey, number | null>>;
  stats: Partial<Record<MetricKey, SampleStats>>;
  breakdown: BreakdownItem[];
}> {
  const stats: Partial<Record<MetricKey, SampleStats>> = {};
  if (samples.firstReadyMs.length > 0) stats.startupFirstMs = await sampleStats(samples.firstReadyMs);
  if (samples.allReadyMs.length > 0) stats.startupAllMs = await sampleStats(samples.allReadyMs);
  if (samples.instanceMs.length > 0) {
    const perInstance = await sampleStats(samples.instanceMs);
    stats.startupP50Ms = perInstance;
    stats.startupP99Ms = perInstance;
  }
  const count = samples.instanceMs.length;
  return {
    metrics: {
      startupFirstMs: stats.startupFirstMs?.mean ?? null,
      startupAllMs: stats.startupAllMs?.mean ?? null,
      startupP50Ms: stats.startupP50Ms?.p50 ?? null,
      startupP99Ms: stats.startupP99Ms?.p99 ?? null,
    },
    stats,
    breakdown: samples.phases.map((phase) => ({
      label: phase.label,
      value: mean(phase.samples),
      unit: 'ms',
      note: `${phase.note}; mean of ${count} instance start${count === 1 ? '' : 's'}`,
    })),
  };
}
