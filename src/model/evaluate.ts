// The model's entry point: a validated scenario and a profile catalog in, one result per platform
// out. Pure: no I/O, no clock, no randomness; the same input gives the same output to the byte.

import type { BreakdownItem, ModelMetrics, PlatformResult } from '../report/types.js';
import type { ProfileCatalog } from '../profiles/types.js';
import type { Scenario } from '../scenario/types.js';
import { item, partItem, phaseItem, serviceItems } from './breakdown.js';
import { capacity } from './capacity.js';
import { planContainer } from './container.js';
import { type PlatformPlan, sumParts, sumPerInstance } from './plan.js';
import { planProcess } from './process.js';
import { percentiles, schedule } from './schedule.js';
import { planVm } from './vm.js';

/** Evaluates the scenario on every platform: process, container, vm (in that order). */
export function evaluateScenario(scenario: Scenario, catalog: ProfileCatalog): PlatformResult[] {
  return [planProcess(scenario, catalog), planContainer(scenario, catalog), planVm(scenario, catalog)].map((plan) =>
    resultOf(plan, scenario, catalog),
  );
}

function resultOf(plan: PlatformPlan, scenario: Scenario, catalog: ProfileCatalog): PlatformResult {
  const leadMs = plan.lead.reduce((sum, phase) => sum + phase.ms, 0);
  const run = schedule(plan.templates, scenario.concurrency, scenario.host.cpus, leadMs);
  const [p50 = 0, p99 = 0] = percentiles(run.perInstanceMs, [0.5, 0.99]);
  const n = scenario.totalInstances;
  const memoryShared = sumParts(plan.memoryShared);
  const memoryInstances = sumPerInstance(plan.memoryPerInstance);
  const diskShared = sumParts(plan.diskShared);
  const diskInstances = sumPerInstance(plan.diskPerInstance);
  const fit = capacity(plan, scenario, catalog.common.hostReservedBytes.value);
  const metrics: ModelMetrics = {
    startupFirstMs: run.firstReadyMs,
    startupAllMs: run.allReadyMs,
    startupP50Ms: p50,
    startupP99Ms: p99,
    memorySharedBytes: memoryShared,
    memoryPerInstanceBytes: Math.round(memoryInstances / n),
    memoryTotalBytes: memoryShared + memoryInstances,
    diskSharedBytes: diskShared,
    diskPerInstanceBytes: Math.round(diskInstances / n),
    diskTotalBytes: diskShared + diskInstances,
    maxInstances: fit.maxInstances,
  };
  const startup: BreakdownItem[] = [];
  if (plan.lead.length > 0) {
    startup.push(item('one-time: cold cache', leadMs, 'ms', 'before the first instance starts', plan.lead.map(phaseItem)));
  }
  for (const template of plan.templates) {
    const alone = template.phases.reduce((sum, phase) => sum + phase.ms, 0);
    startup.push(item(`per instance: ${template.service} (alone on an idle host)`, alone, 'ms', undefined, template.phases.map(phaseItem)));
  }
  startup.push(
    item(
      'waves',
      run.waves,
      'count',
      `${scenario.concurrency} at once on ${scenario.host.cpus} CPUs: CPU phases x${round(run.maxCpuFactor)} at most, disk phases share the disk, serial phases queue`,
    ),
  );
  return {
    platform: plan.platform,
    backend: 'model',
    state: 'completed',
    profile: plan.profile,
    provenance: { kind: 'modeled', profile: plan.profile, profileSource: catalog.source },
    metrics,
    breakdown: {
      startup,
      memory: [
        item('shared', memoryShared, 'bytes', 'paid once', plan.memoryShared.map(partItem)),
        ...serviceItems(plan.memoryPerInstance, 'per instance'),
      ],
      disk: [item('shared', diskShared, 'bytes', 'paid once', plan.diskShared.map(partItem)), ...serviceItems(plan.diskPerInstance, 'per instance')],
      capacity: fit.items,
    },
    notes: plan.notes,
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
