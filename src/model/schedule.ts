// Startup under concurrency and contention: instances start in waves of `concurrency`; the next
// wave starts when the previous one is ready. Within a wave, CPU phases stretch by the wave's
// demand over the host's CPUs, disk phases share the disk's bandwidth, and serial phases queue.

import { formatBytes, formatRate } from '../units/format.js';

/** What a phase of an instance's startup waits on. */
export type Resource = 'cpu' | 'disk' | 'serial' | 'latency';

export interface Phase {
  label: string;
  /** Duration alone on an idle host. */
  ms: number;
  resource: Resource;
  note: string;
}

/** All instances of one service start with the same phases. */
export interface InstanceTemplate {
  service: string;
  instances: number;
  phases: Phase[];
}

export interface Schedule {
  /** Per-instance startup (own start request to ready), in start order. */
  perInstanceMs: Float64Array;
  /** Ready time of the first and last instance from the start command. */
  firstReadyMs: number;
  allReadyMs: number;
  waves: number;
  /** The largest CPU stretch any wave saw. */
  maxCpuFactor: number;
}

/**
 * The app's own initialisation, as the real backends simulate it: first it faults in its memory
 * (CPU work: it stretches under contention, and by `slowdown` in an emulated guest), then it waits
 * for what is left of `app.startup` (wall time that competes for nothing).
 */
export function appPhases(app: { memoryBytes: number; startupMs: number }, fillBytesPerSec: number, slowdown = 1): Phase[] {
  const fillMs = (app.memoryBytes / fillBytesPerSec) * 1000 * slowdown;
  return [
    {
      label: 'app: fill its memory',
      ms: fillMs,
      resource: 'cpu',
      note: `${formatBytes(app.memoryBytes)} at ${formatRate(fillBytesPerSec)}${slowdown === 1 ? '' : ` x${slowdown} guest slowdown`}`,
    },
    {
      label: 'app: rest of its startup',
      ms: Math.max(0, app.startupMs - fillMs),
      resource: 'latency',
      note: 'scenario app.startup less the fill (wall time, not CPU-bound)',
    },
  ];
}

/** Per-template constants, precomputed so a wave costs O(instances) whatever the phase count. */
interface TemplateCost {
  cpuMs: number;
  diskMs: number;
  serialMs: number;
  latencyMs: number;
}

function templateCost(template: InstanceTemplate): TemplateCost {
  const cost = { cpuMs: 0, diskMs: 0, serialMs: 0, latencyMs: 0 };
  for (const phase of template.phases) cost[`${phase.resource}Ms`] += phase.ms;
  return cost;
}

/** Simulates the waves; `leadMs` (one-time work such as a cold image fetch) precedes the first wave. */
export function schedule(templates: InstanceTemplate[], concurrency: number, cpus: number, leadMs: number): Schedule {
  const costs = templates.map(templateCost);
  const total = templates.reduce((sum, t) => sum + t.instances, 0);
  const perInstanceMs = new Float64Array(total);
  const waveSize = Math.max(1, Math.min(concurrency, total));
  let clock = leadMs;
  let firstReadyMs = Number.POSITIVE_INFINITY;
  let waves = 0;
  let maxCpuFactor = 1;
  // Cursor over instances in start order: service after service.
  let templateIndex = 0;
  let usedOfTemplate = 0;
  let index = 0;
  while (index < total) {
    const size = Math.min(waveSize, total - index);
    // Which templates (and how many of each) this wave holds.
    const members: { cost: TemplateCost; count: number }[] = [];
    let left = size;
    while (left > 0) {
      const template = templates[templateIndex];
      const cost = costs[templateIndex];
      if (template === undefined || cost === undefined) break;
      const take = Math.min(left, template.instances - usedOfTemplate);
      if (take > 0) members.push({ cost, count: take });
      left -= take;
      usedOfTemplate += take;
      if (usedOfTemplate >= template.instances) {
        templateIndex += 1;
        usedOfTemplate = 0;
      }
    }
    const cpuFactor = Math.max(1, size / cpus);
    const diskSharers = members.reduce((n, m) => n + (m.cost.diskMs > 0 ? m.count : 0), 0);
    maxCpuFactor = Math.max(maxCpuFactor, cpuFactor);
    let serialQueue = 0;
    let waveEnd = 0;
    for (const { cost, count } of members) {
      const fixed = cost.cpuMs * cpuFactor + cost.diskMs * Math.max(1, diskSharers) + cost.latencyMs;
      for (let k = 0; k < count; k += 1) {
        serialQueue += cost.serialMs;
        const ms = fixed + serialQueue;
        perInstanceMs[index] = ms;
        index += 1;
        if (ms > waveEnd) waveEnd = ms;
        if (waves === 0 && clock + ms < firstReadyMs) firstReadyMs = clock + ms;
      }
    }
    clock += waveEnd;
    waves += 1;
  }
  return { perInstanceMs, firstReadyMs: total === 0 ? leadMs : firstReadyMs, allReadyMs: clock, waves, maxCpuFactor };
}

/**
 * Percentiles (each q in [0, 1]) by linear interpolation between the closest ranks at (n - 1) q,
 * as tinybench computes the measured ones, so model and measurement mean the same p50 and p99.
 * Sorts one copy: O(n log n).
 */
export function percentiles(values: Float64Array, qs: number[]): number[] {
  if (values.length === 0) return qs.map(() => 0);
  const sorted = Float64Array.from(values).sort();
  return qs.map((q) => {
    const position = (sorted.length - 1) * q;
    const below = sorted[Math.floor(position)] ?? 0;
    const above = sorted[Math.ceil(position)] ?? below;
    return below + (position - Math.floor(position)) * (above - below);
  });
}
