// How many instances of the scenario's mix fit on its host, by memory and by disk.

import type { BreakdownItem } from '../report/types.js';
import type { Scenario } from '../scenario/types.js';
import { item } from './breakdown.js';
import { type PlatformPlan, sumParts, sumPerInstance } from './plan.js';
import { formatBytes } from '../units/format.js';

export interface Capacity {
  maxInstances: number;
  items: BreakdownItem[];
}

/**
 * Scales the mix (each service keeps its share of instances): instances fit while the host's memory
 * less its reserve and the shared memory covers the mean reserved bytes per instance, and likewise for disk.
 */
export function capacity(plan: PlatformPlan, scenario: Scenario, hostReservedBytes: number): Capacity {
  const n = scenario.totalInstances;
  const memoryFree = scenario.host.memoryBytes - hostReservedBytes - sumParts(plan.memoryShared);
  const memoryEach = sumPerInstance(plan.memoryReservedPerInstance) / n;
  const diskFree = scenario.host.diskBytes - sumParts(plan.diskShared);
  const diskEach = sumPerInstance(plan.diskPerInstance) / n;
  const byMemory = fit(memoryFree, memoryEach);
  const byDisk = fit(diskFree, diskEach);
  const maxInstances = Math.min(byMemory, byDisk);
  return {
    maxInstances,
    items: [
      item(
        'memory free for instances',
        memoryFree,
        'bytes',
        `host ${formatBytes(scenario.host.memoryBytes)} - reserved for the host ${formatBytes(hostReservedBytes)} - shared ${formatBytes(sumParts(plan.memoryShared))}`,
      ),
      item('memory held per instance (mean of the mix)', Math.round(memoryEach), 'bytes'),
      item('instances that fit by memory', byMemory, 'count'),
      item('disk free for instances', diskFree, 'bytes', `host ${formatBytes(scenario.host.diskBytes)} - shared ${formatBytes(sumParts(plan.diskShared))}`),
      item('disk per instance (mean of the mix)', Math.round(diskEach), 'bytes'),
      item('instances that fit by disk', byDisk, 'count', byDisk === UNBOUNDED ? 'instances write nothing to disk: disk does not limit' : undefined),
      item(`limited by ${byMemory <= byDisk ? 'memory' : 'disk'}`, maxInstances, 'count'),
    ],
  };
}

/** Stands for "no limit" in JSON, which has no Infinity. */
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

/** floor(free / each), 0 when nothing is free, unbounded (MAX_SAFE_INTEGER) when each is 0. */
function fit(free: number, each: number): number {
  if (free <= 0) return 0;
  if (each <= 0) return UNBOUNDED;
  return Math.floor(free / each);
}
