// The model's entry point: a validated scenario and a profile catalog in, one result per platform
// out. Pure: no I/O, no clock, no randomness; the same input gives the same output to the byte.

import type { BreakdownItem, Fit, ModelMetrics, PlatformResult } from '../report/types.js';
import type { ProfileCatalog } from '../profiles/types.js';
import type { Scenario } from '../scenario/types.js';
import { formatBytes, formatCount, formatMs } from '../units/format.js';
import { item, partItem, phaseItem, serviceItems } from './breakdown.js';
import { capacity } from './capacity.js';
import { planContainer } from './container.js';
import { percentiles, type InstanceTemplate } from './phases.js';
import { type PlatformPlan, sumParts, sumPerInstance } from './plan.js';
import { planProcess } from './process.js';
import { simulate, type SimulationResult } from './simulate.js';
import { planVm } from './vm.js';

/** Per-instance timelines are kept for this many instances (in service order), to keep reports small. */
export const TIMELINE_CAP = 200;

/** Evaluates the scenario on every platform: process, container, vm (in that order). */
export function evaluateScenario(scenario: Scenario, catalog: ProfileCatalog): PlatformResult[] {
  return [planProcess(scenario, catalog), planContainer(scenario, catalog), planVm(scenario, catalog)].map((plan) =>
    resultOf(plan, scenario, catalog),
  );
}

function resultOf(plan: PlatformPlan, scenario: Scenario, catalog: ProfileCatalog): PlatformResult {
  const leadMs = plan.lead.reduce((sum, phase) => sum + phase.ms, 0);
  const n = scenario.totalInstances;
  const memoryShared = sumParts(plan.memoryShared);
  const diskShared = sumParts(plan.diskShared);
  const hostReserved = catalog.common.hostReservedBytes.value;
  const templates: InstanceTemplate[] = plan.templates.map((template, i) => ({
    ...template,
    reservedBytes: sumParts(plan.memoryReservedPerInstance[i]?.parts ?? []),
    memoryBytes: sumParts(plan.memoryPerInstance[i]?.parts ?? []),
    diskBytes: sumParts(plan.diskPerInstance[i]?.parts ?? []),
    lifetimeMs: scenario.services[i]?.app.lifetimeMs ?? null,
  }));
  const run = simulate({
    templates,
    concurrency: scenario.concurrency,
    cpus: scenario.host.cpus,
    leadMs,
    arrivalEveryMs: scenario.arrival?.everyMs ?? null,
    memoryFreeBytes: scenario.host.memoryBytes - hostReserved - memoryShared,
    diskFreeBytes: scenario.host.diskBytes - diskShared,
    timelineCap: TIMELINE_CAP,
  });
  const startup = startupFigures(run);
  const fit = fitOf(run, n);
  const maxFit = capacity(plan, scenario, hostReserved);
  const metrics: ModelMetrics = {
    ...startup,
    memorySharedBytes: memoryShared,
    memoryPerInstanceBytes: Math.round(sumPerInstance(plan.memoryPerInstance) / n),
    memoryTotalBytes: memoryShared + run.peakMemoryBytes,
    diskSharedBytes: diskShared,
    diskPerInstanceBytes: Math.round(sumPerInstance(plan.diskPerInstance) / n),
    diskTotalBytes: diskShared + run.peakDiskBytes,
    maxInstances: maxFit.maxInstances,
  };
  const lifetimes = templates.some((t) => t.lifetimeMs !== null);
  const peakNote = (shared: number, sumAll: number): string =>
    lifetimes
      ? `peak over time: shared + the instances alive at the peak (at most ${formatCount(run.peakAlive)} at once); all ${formatCount(n)} alive together would need ${formatBytes(shared + sumAll)}`
      : run.started === n
        ? `shared + ${formatCount(n)} instances, all alive together (no lifetime: the peak is the end state)`
        : `shared + the ${formatCount(run.started)} instances that fit; all ${formatCount(n)} would need ${formatBytes(shared + sumAll)}`;
  return {
    platform: plan.platform,
    backend: 'model',
    state: 'completed',
    profile: plan.profile,
    provenance: { kind: 'modeled', profile: plan.profile, profileSource: catalog.source },
    metrics,
    fit,
    breakdown: {
      startup: startupItems(plan, scenario, run, leadMs),
      memory: [
        item('shared', memoryShared, 'bytes', 'paid once', plan.memoryShared.map(partItem)),
        ...serviceItems(plan.memoryPerInstance, 'per instance'),
        item('total (peak)', metrics.memoryTotalBytes, 'bytes', peakNote(memoryShared, sumPerInstance(plan.memoryPerInstance))),
      ],
      disk: [
        item('shared', diskShared, 'bytes', 'paid once', plan.diskShared.map(partItem)),
        ...serviceItems(plan.diskPerInstance, 'per instance'),
        item('total (peak)', metrics.diskTotalBytes, 'bytes', peakNote(diskShared, sumPerInstance(plan.diskPerInstance))),
      ],
      capacity: maxFit.items,
    },
    timeline: run.timeline,
    notes: [...plan.notes, ...fitNotes(run, n), ...(n > TIMELINE_CAP ? [`timeline: the first ${formatCount(TIMELINE_CAP)} of ${formatCount(n)} instances`] : [])],
  };
}

/** First, last, p50 and p99 startup of the instances that ran (0 when none did). */
function startupFigures(run: SimulationResult): Pick<ModelMetrics, 'startupFirstMs' | 'startupAllMs' | 'startupP50Ms' | 'startupP99Ms'> {
  const own = new Float64Array(run.started);
  let k = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  for (let i = 0; i < run.readyMs.length; i += 1) {
    const ready = run.readyMs[i]!;
    if (Number.isNaN(ready)) continue;
    own[k] = ready - run.startedMs[i]!;
    k += 1;
    if (ready < first) first = ready;
    if (ready > last) last = ready;
  }
  const [p50 = 0, p99 = 0] = percentiles(own.subarray(0, k), [0.5, 0.99]);
  return { startupFirstMs: k === 0 ? 0 : first, startupAllMs: last, startupP50Ms: p50, startupP99Ms: p99 };
}

function fitOf(run: SimulationResult, n: number): Fit {
  const fits = run.notStarted === 0 && run.waitedForCapacity === 0;
  return { fits, limitedBy: fits ? null : run.limitedBy, instancesThatFit: fits ? n : run.peakAlive };
}

function fitNotes(run: SimulationResult, n: number): string[] {
  if (run.notStarted === 0 && run.waitedForCapacity === 0) return [];
  const by = run.limitedBy ?? 'capacity';
  const notes = [`only ${formatCount(run.peakAlive)} of ${formatCount(n)} instances fit on the host at once (${by})`];
  if (run.notStarted > 0) notes.push(`${formatCount(run.notStarted)} instance(s) not started: startup figures describe the ${formatCount(run.started)} that ran`);
  if (run.waitedForCapacity > 0) notes.push(`${formatCount(run.waitedForCapacity)} instance(s) waited for ${by} freed by instances that ended`);
  return notes;
}

function startupItems(plan: PlatformPlan, scenario: Scenario, run: SimulationResult, leadMs: number): BreakdownItem[] {
  const startup: BreakdownItem[] = [];
  if (plan.lead.length > 0) {
    startup.push(item('one-time: cold cache', leadMs, 'ms', 'before the first instance starts', plan.lead.map(phaseItem)));
  }
  for (const phase of plan.notCounted ?? []) {
    startup.push(item(`one-time, not counted: ${phase.label}`, phase.ms, 'ms', phase.note));
  }
  for (const template of plan.templates) {
    const alone = template.phases.reduce((sum, phase) => sum + phase.ms, 0);
    startup.push(item(`per instance: ${template.service} (alone on an idle host)`, alone, 'ms', undefined, template.phases.map(phaseItem)));
  }
  const cpus = scenario.host.cpus;
  const share = run.peakCpuRunning > cpus ? `, each then got ${(cpus / run.peakCpuRunning).toFixed(2)} of a CPU` : '';
  const arrival = scenario.arrival ? `one requested every ${formatMs(scenario.arrival.everyMs)}` : 'all requested at once';
  startup.push(
    item(
      'instances started (discrete-event simulation)',
      run.started,
      'count',
      `${arrival}, at most ${formatCount(scenario.concurrency)} in flight (a slot frees when one is ready); ${cpus} CPUs shared: ` +
        `at most ${formatCount(run.peakCpuRunning)} instances in CPU phases at once${share}; disk and network bandwidth shared; serial phases queue one at a time`,
    ),
  );
  return startup;
}
