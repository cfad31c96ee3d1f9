// Startup figures of the measured batches, the same for every real backend: each metric is a
// per-batch figure (first ready, all ready, p50 and p99 of that batch's instance starts, as the
// model computes them for one run) averaged over the measured batches; its stats hold the per-batch
// values, so a comparison tests batch aggregates, never pooled instance samples.

import type { BreakdownItem, InstanceTimeline, MetricKey, SampleStats } from '../../report/types.js';
import type { InstanceOutcome } from './instances.js';
import { mean, quantile, sampleStats } from './stats.js';

/** What each phase label of a backend's InstanceOutcome means. */
export interface PhaseInfo {
  label: string;
  note: string;
}

type StartupKey = 'startupFirstMs' | 'startupAllMs' | 'startupP50Ms' | 'startupP99Ms';

/** The startup part of a measured result. */
export interface StartupSummary {
  metrics: Record<StartupKey, number | null>;
  stats: Partial<Record<MetricKey, SampleStats>>;
  breakdown: BreakdownItem[];
  /** The last measured batch, instance by instance (instances that never got ready are left out). */
  timeline: InstanceTimeline[];
}

/** One batch's figures; null where no instance (or, for all-ready, not every instance) got ready. */
export function batchStartup(outcomes: readonly InstanceOutcome[]): Record<StartupKey, number | null> {
  const ready = outcomes.flatMap((o) => (o.state === 'ready' ? [o] : []));
  const readyAt = ready.map((o) => o.readyAtMs);
  const starts = ready.map((o) => o.startupMs);
  return {
    startupFirstMs: readyAt.length === 0 ? null : Math.min(...readyAt),
    startupAllMs: readyAt.length === 0 || ready.length < outcomes.length ? null : Math.max(...readyAt),
    startupP50Ms: quantile(starts, 0.5),
    startupP99Ms: quantile(starts, 0.99),
  };
}

/** Summarises the measured batches (each its instances' outcomes, in start order). Pure. */
export function startupSummary(batches: readonly (readonly InstanceOutcome[])[], phases: readonly PhaseInfo[]): StartupSummary {
  const perBatch = batches.map(batchStartup);
  const metrics = {} as Record<StartupKey, number | null>;
  const stats: Partial<Record<MetricKey, SampleStats>> = {};
  for (const key of ['startupFirstMs', 'startupAllMs', 'startupP50Ms', 'startupP99Ms'] as const) {
    const values = perBatch.flatMap((b) => (b[key] === null ? [] : [b[key]]));
    metrics[key] = mean(values);
    if (values.length > 0) stats[key] = sampleStats(values);
  }
  const ready = batches.flat().flatMap((o) => (o.state === 'ready' ? [o] : []));
  const breakdown = phases.flatMap((phase): BreakdownItem[] => {
    const value = mean(ready.map((o) => o.phases[phase.label] ?? 0));
    if (value === null) return [];
    return [{ label: phase.label, value, unit: 'ms', note: `${phase.note}; mean of ${ready.length} instance start${ready.length === 1 ? '' : 's'}` }];
  });
  return { metrics, stats, breakdown, timeline: timelineOf(batches.at(-1) ?? []) };
}

/** Per instance of one batch: requested, each phase in order, ready; ms from the batch's start. */
export function timelineOf(outcomes: readonly InstanceOutcome[]): InstanceTimeline[] {
  const perService = new Map<string, number>();
  const timeline: InstanceTimeline[] = [];
  for (const outcome of outcomes) {
    const index = perService.get(outcome.service) ?? 0;
    perService.set(outcome.service, index + 1);
    if (outcome.state !== 'ready') continue;
    let at = outcome.requestedAtMs;
    const phases = Object.entries(outcome.phases).map(([label, ms]) => {
      const phase = { label, startMs: at, endMs: at + ms };
      at += ms;
      return phase;
    });
    timeline.push({ service: outcome.service, index, requestedMs: outcome.requestedAtMs, readyMs: outcome.readyAtMs, phases });
  }
  return timeline;
}
