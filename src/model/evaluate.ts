// The model's entry point: a validated scenario and a profile catalog in, one result per platform
// out. Pure: no I/O, no clock, no randomness; the same input gives the same output to the byte.

import type { BreakdownItem, Fit, HostFit, InstanceTimeline, ModelMetrics, PlatformResult } from '../report/types.js';
import type { ProfileCatalog } from '../profiles/types.js';
import type { Scenario } from '../scenario/types.js';
import { formatBytes, formatCount, formatMs } from '../units/format.js';
import { item, partItem, phaseItem, serviceItems } from './breakdown.js';
import { capacity } from './capacity.js';
import { planContainer } from './container.js';
import { type HostNeeds, type Planner, hostNeeds, hostScenario, needsCache } from './host-share.js';
import { howManyFits, hostsNeeded } from './hosts-needed.js';
import { percentiles, type InstanceTemplate } from './phases.js';
import { binpack, type HostShare, spread } from './placement.js';
import { type Part, type PlatformPlan, sumParts, sumPerInstance } from './plan.js';
import { planProcess } from './process.js';
import { runtimeVariants } from './runtime-variants.js';
import { simulate, type SimulationResult } from './simulate.js';
import { planVm } from './vm.js';

/** Per-instance timelines are kept for this many instances (in service order), to keep reports small. */
export const TIMELINE_CAP = 200;

/** The platform models, in report order: process, container, vm. */
const PLANNERS: Planner[] = [planProcess, planContainer, planVm];

/**
 * Evaluates the scenario on every platform: process, container, vm (in that order). A scenario that
 * compares runtimes gets one container result per runtime, each tagged with it.
 */
export function evaluateScenario(scenario: Scenario, catalog: ProfileCatalog): PlatformResult[] {
  return PLANNERS.flatMap((planner) =>
    planner === planContainer
      ? runtimeVariants(scenario).map(({ runtime, scenario: variant }) => ({ ...resultOf(planner, variant, catalog), ...(runtime === undefined ? {} : { runtime }) }))
      : [resultOf(planner, scenario, catalog)],
  );
}

function resultOf(planner: Planner, scenario: Scenario, catalog: ProfileCatalog): PlatformResult {
  const plan = planner(scenario, catalog);
  const n = scenario.totalInstances;
  const hostReserved = catalog.common.hostReservedBytes.value;
  const hostCount = scenario.cluster?.hosts ?? 1;
  const hosts = hostCount <= 1 ? [runAlone(plan, scenario, catalog)] : runCluster(planner, scenario, catalog, hostCount);
  const runs = hosts.flatMap((host) => (host.run === null ? [] : [host.run]));
  const startup = startupFigures(runs);
  const memoryShared = sum(hosts, (host) => host.memoryShared);
  const diskShared = sum(hosts, (host) => host.diskShared);
  const peakMemory = sum(runs, (run) => run.peakMemoryBytes);
  const peakDisk = sum(runs, (run) => run.peakDiskBytes);
  const fit = hostCount <= 1 ? fitOf(runs[0]!, n) : clusterFit(hosts, n);
  const maxFit = capacity(plan, scenario, hostReserved);
  const needed = hostsNeeded(planner, scenario, catalog, plan, (k) =>
    k === hostCount ? fit.fits : clusterFit(k <= 1 ? [runAlone(plan, scenario, catalog)] : runCluster(planner, scenario, catalog, k), n).fits,
  );
  const metrics: ModelMetrics = {
    ...startup,
    memorySharedBytes: memoryShared,
    memoryPerInstanceBytes: Math.round(sum(hosts, (host) => (host.plan === null ? 0 : sumPerInstance(host.plan.memoryPerInstance))) / n),
    memoryUniqueBytes: Math.round(plan.memoryPerInstance.reduce((total, service) => total + service.instances * (service.uniqueBytes ?? sumParts(service.parts)), 0) / n),
    memoryTotalBytes: memoryShared + peakMemory,
    diskSharedBytes: diskShared,
    diskPerInstanceBytes: Math.round(sum(hosts, (host) => (host.plan === null ? 0 : sumPerInstance(host.plan.diskPerInstance))) / n),
    diskTotalBytes: diskShared + peakDisk,
    maxInstances: maxFit.maxInstances,
    hostsNeeded: needed.hosts,
  };
  const lifetimes = scenario.services.some((service) => service.app.lifetimeMs != null);
  const started = sum(runs, (run) => run.started);
  const peakAlive = sum(runs, (run) => run.peakAlive);
  const onHosts = hostCount <= 1 ? '' : ` over ${formatCount(hostCount)} hosts`;
  const peakNote = (shared: number, sumAll: number): string =>
    lifetimes
      ? `peak over time: shared + the instances alive at the peak (at most ${formatCount(peakAlive)} at once${onHosts}); all ${formatCount(n)} alive together would need ${formatBytes(shared + sumAll)}`
      : started === n
        ? `shared + ${formatCount(n)} instances, all alive together (no lifetime: the peak is the end state)${onHosts}`
        : `shared + the ${formatCount(started)} instances that fit${onHosts}; all ${formatCount(n)} would need ${formatBytes(shared + sumAll)}`;
  const single = hostCount <= 1;
  return {
    platform: plan.platform,
    backend: 'model',
    state: 'completed',
    profile: plan.profile,
    provenance: { kind: 'modeled', profile: plan.profile, profileSource: catalog.source },
    metrics,
    fit,
    breakdown: {
      startup: startupItems(plan, scenario, hosts),
      memory: [
        single
          ? item('shared', memoryShared, 'bytes', 'paid once', plan.memoryShared.map(partItem))
          : item(
              'shared',
              memoryShared,
              'bytes',
              perHostNote(hostCount),
              perHost(
                hosts,
                (host) => host.memoryShared,
                (p) => p.memoryShared,
              ),
            ),
        ...serviceItems(plan.memoryPerInstance, 'per instance'),
        item(
          'total (peak)',
          metrics.memoryTotalBytes,
          'bytes',
          peakNote(memoryShared, sumPerInstance(plan.memoryPerInstance)),
          single ? undefined : perHost(hosts, (host) => host.memoryShared + (host.run?.peakMemoryBytes ?? 0)),
        ),
      ],
      disk: [
        single
          ? item('shared', diskShared, 'bytes', 'paid once', plan.diskShared.map(partItem))
          : item(
              'shared',
              diskShared,
              'bytes',
              perHostNote(hostCount),
              perHost(
                hosts,
                (host) => host.diskShared,
                (p) => p.diskShared,
              ),
            ),
        ...serviceItems(plan.diskPerInstance, 'per instance'),
        item(
          'total (peak)',
          metrics.diskTotalBytes,
          'bytes',
          peakNote(diskShared, sumPerInstance(plan.diskPerInstance)),
          single ? undefined : perHost(hosts, (host) => host.diskShared + (host.run?.peakDiskBytes ?? 0)),
        ),
      ],
      capacity: [
        ...maxFit.items,
        ...(single ? [] : [placementItem(scenario, hosts, hostReserved)]),
        item('hosts of this kind needed', needed.hosts ?? 0, 'count', needed.hosts === null ? `none: ${needed.note}` : needed.note),
      ],
    },
    timeline: single ? runs[0]!.timeline : clusterTimeline(scenario, hosts),
    notes: [
      ...plan.notes,
      ...(single ? fitNotes(runs[0]!, n) : clusterFitNotes(hosts, n)),
      ...(n > TIMELINE_CAP ? [`timeline: the first ${formatCount(TIMELINE_CAP)} of ${formatCount(n)} instances`] : []),
    ],
  };
}

/** One host of the run: its share of the scenario, its plan and its simulation (null when it runs nothing). */
interface HostRun {
  /** 0-based. */
  index: number;
  scenario: Scenario;
  share: HostShare | null;
  plan: PlatformPlan | null;
  leadMs: number;
  memoryShared: number;
  diskShared: number;
  run: SimulationResult | null;
  /** Memory and disk it needs with all of its instances alive. */
  needs: HostNeeds | null;
}

/** The whole scenario on one host. */
function runAlone(plan: PlatformPlan, scenario: Scenario, catalog: ProfileCatalog): HostRun {
  return simulateHost(0, plan, scenario, catalog, null, undefined);
}

/** Places the scenario on `hostCount` hosts by its rule and simulates each host on its own. */
function runCluster(planner: Planner, scenario: Scenario, catalog: ProfileCatalog, hostCount: number): HostRun[] {
  const counts = scenario.services.map((service) => service.instances);
  const shares = (scenario.cluster?.placement ?? 'spread') === 'binpack' ? binpack(counts, hostCount, howManyFits(needsCache(planner, scenario, catalog))).shares : spread(counts, hostCount);
  const every = scenario.arrival?.everyMs ?? null;
  const base: number[] = [];
  let total = 0;
  for (const count of counts) {
    base.push(total);
    total += count;
  }
  return shares.map((share, h) => {
    const own = hostScenario(scenario, share.counts);
    if (own.totalInstances === 0) {
      return { index: h, scenario: own, share, plan: null, leadMs: 0, memoryShared: 0, diskShared: 0, run: null, needs: null };
    }
    // This host's instances in service order, each requested when the cluster requests it.
    let requestMs: Float64Array | undefined;
    if (every !== null) {
      requestMs = new Float64Array(own.totalInstances);
      let k = 0;
      share.replicas.forEach((replicas, s) => {
        for (const r of replicas) requestMs![k++] = (base[s]! + r) * every;
      });
    }
    return simulateHost(h, planner(own, catalog), own, catalog, share, requestMs);
  });
}

function simulateHost(index: number, plan: PlatformPlan, scenario: Scenario, catalog: ProfileCatalog, share: HostShare | null, requestMs: Float64Array | undefined): HostRun {
  const leadMs = plan.lead.reduce((total, phase) => total + phase.ms, 0);
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
    ...(requestMs === undefined ? {} : { requestMs }),
    memoryFreeBytes: scenario.host.memoryBytes - hostReserved - memoryShared,
    diskFreeBytes: scenario.host.diskBytes - diskShared,
    timelineCap: TIMELINE_CAP,
  });
  return { index, scenario, share, plan, leadMs, memoryShared, diskShared, run, needs: share === null ? null : hostNeeds(plan, scenario.host, hostReserved) };
}

function sum<T>(list: readonly T[], of: (x: T) => number): number {
  return list.reduce((total, x) => total + of(x), 0);
}

/** First, last, p50 and p99 startup of the instances that ran, over every host (0 when none did). */
function startupFigures(runs: SimulationResult[]): Pick<ModelMetrics, 'startupFirstMs' | 'startupAllMs' | 'startupP50Ms' | 'startupP99Ms'> {
  const own = new Float64Array(sum(runs, (run) => run.started));
  let k = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  for (const run of runs) {
    for (let i = 0; i < run.readyMs.length; i += 1) {
      const ready = run.readyMs[i]!;
      if (Number.isNaN(ready)) continue;
      own[k] = ready - run.startedMs[i]!;
      k += 1;
      if (ready < first) first = ready;
      if (ready > last) last = ready;
    }
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

/** A cluster fits when every host does; per host what it holds and what limits it. */
function clusterFit(hosts: HostRun[], n: number): Fit {
  const perHost: HostFit[] = hosts.map((host) => {
    const run = host.run;
    const fits = run === null || (run.notStarted === 0 && run.waitedForCapacity === 0);
    return {
      instances: host.scenario.totalInstances,
      fits,
      limitedBy: fits || run === null ? null : run.limitedBy,
      memoryBytes: host.memoryShared + (run?.peakMemoryBytes ?? 0),
      diskBytes: host.diskShared + (run?.peakDiskBytes ?? 0),
    };
  });
  const fits = perHost.every((host) => host.fits);
  const limitedBy = perHost.find((host) => host.limitedBy !== null)?.limitedBy ?? null;
  const alive = sum(hosts, (host) => host.run?.peakAlive ?? 0);
  return { fits, limitedBy: fits ? null : limitedBy, instancesThatFit: fits ? n : alive, hosts: perHost };
}

function clusterFitNotes(hosts: HostRun[], n: number): string[] {
  const notes: string[] = [];
  let notStarted = 0;
  for (const host of hosts) {
    const run = host.run;
    if (run === null || (run.notStarted === 0 && run.waitedForCapacity === 0)) continue;
    const by = run.limitedBy ?? 'capacity';
    notes.push(`host ${host.index + 1}: only ${formatCount(run.peakAlive)} of its ${formatCount(host.scenario.totalInstances)} instances fit at once (${by})`);
    if (run.waitedForCapacity > 0) notes.push(`host ${host.index + 1}: ${formatCount(run.waitedForCapacity)} instance(s) waited for ${by} freed by instances that ended`);
    notStarted += run.notStarted;
  }
  if (notStarted > 0) {
    const started = sum(hosts, (host) => host.run?.started ?? 0);
    notes.push(`${formatCount(notStarted)} of ${formatCount(n)} instance(s) not started: startup figures describe the ${formatCount(started)} that ran`);
  }
  return notes;
}

/** Paid once per host that runs an instance needing it. */
function perHostNote(hostCount: number): string {
  return `paid once per host that runs an instance needing it (${formatCount(hostCount)} hosts)`;
}

/** One item per host that runs something: its value, with the plan's parts as children when asked. */
function perHost(hosts: HostRun[], value: (host: HostRun) => number, parts?: (plan: PlatformPlan) => Part[]): BreakdownItem[] {
  return hosts.flatMap((host) => (host.plan === null ? [] : [item(`host ${host.index + 1}`, value(host), 'bytes', undefined, parts === undefined ? undefined : parts(host.plan).map(partItem))]));
}

/** Where the instances went and what each host needs with all of them alive. */
function placementItem(scenario: Scenario, hosts: HostRun[], hostReserved: number): BreakdownItem {
  const rule = scenario.cluster?.placement ?? 'spread';
  const how = rule === 'spread' ? 'replicas of each service evenly over the hosts (fewest of the service, then fewest in all)' : 'hosts filled in order, as many as fit all alive at once';
  return item(
    `placement: ${rule} over ${formatCount(hosts.length)} hosts`,
    scenario.totalInstances,
    'count',
    how,
    hosts.map((host) => {
      const services = host.scenario.services.map((service) => `${service.name} x${service.instances}`).join(', ');
      const needs = host.needs;
      const children =
        needs === null
          ? []
          : [
              item(
                'memory needed, all alive',
                needs.memoryBytes,
                'bytes',
                `host reserve ${formatBytes(hostReserved)} + shared + each instance's reserved memory; the host has ${formatBytes(scenario.host.memoryBytes)}`,
              ),
              item('disk needed, all alive', needs.diskBytes, 'bytes', `shared + each instance's disk; the host has ${formatBytes(scenario.host.diskBytes)}`),
            ];
      const fits = needs === null ? 'runs nothing' : needs.limitedBy === null ? 'fits' : `short of ${needs.limitedBy}`;
      return item(`host ${host.index + 1}`, host.scenario.totalInstances, 'count', services === '' ? fits : `${fits}: ${services}`, children);
    }),
  );
}

/** The first TIMELINE_CAP instances over all hosts, in service order, each tagged with its host. */
function clusterTimeline(scenario: Scenario, hosts: HostRun[]): InstanceTimeline[] {
  const order = new Map(scenario.services.map((service, s) => [service.name, s]));
  const all: InstanceTimeline[] = [];
  for (const host of hosts) {
    if (host.run === null || host.share === null) continue;
    for (const entry of host.run.timeline) {
      const s = order.get(entry.service)!;
      all.push({ ...entry, index: host.share.replicas[s]![entry.index]!, host: host.index });
    }
  }
  all.sort((a, b) => order.get(a.service)! - order.get(b.service)! || a.index - b.index);
  return all.slice(0, TIMELINE_CAP);
}

function startupItems(plan: PlatformPlan, scenario: Scenario, hosts: HostRun[]): BreakdownItem[] {
  const startup: BreakdownItem[] = [];
  const single = hosts.length === 1;
  if (single && plan.lead.length > 0) {
    startup.push(item('one-time: cold cache', hosts[0]!.leadMs, 'ms', 'before the first instance starts', plan.lead.map(phaseItem)));
  }
  if (!single && hosts.some((host) => host.leadMs > 0)) {
    const longest = Math.max(...hosts.map((host) => host.leadMs));
    const children = hosts.flatMap((host) => (host.plan === null || host.plan.lead.length === 0 ? [] : [item(`host ${host.index + 1}`, host.leadMs, 'ms', undefined, host.plan.lead.map(phaseItem))]));
    startup.push(item('one-time: cold cache', longest, 'ms', 'each host fetches what its own instances need, in parallel (the longest shown); its instances start after it', children));
  }
  for (const phase of plan.notCounted ?? []) {
    startup.push(item(`one-time, not counted: ${phase.label}`, phase.ms, 'ms', phase.note));
  }
  for (const template of plan.templates) {
    const alone = template.phases.reduce((total, phase) => total + phase.ms, 0);
    startup.push(item(`per instance: ${template.service} (alone on an idle host)`, alone, 'ms', undefined, template.phases.map(phaseItem)));
  }
  const cpus = scenario.host.cpus;
  const runs = hosts.flatMap((host) => (host.run === null ? [] : [host.run]));
  const peakCpuRunning = Math.max(0, ...runs.map((run) => run.peakCpuRunning));
  const share = peakCpuRunning > cpus ? `, each then got ${(cpus / peakCpuRunning).toFixed(2)} of a CPU` : '';
  const arrival = scenario.arrival ? `one requested every ${formatMs(scenario.arrival.everyMs)}` : 'all requested at once';
  const where = single
    ? `${cpus} CPUs shared: at most ${formatCount(peakCpuRunning)} instances in CPU phases at once${share}`
    : `${formatCount(hosts.length)} hosts in parallel, each with its own ${cpus} CPUs, disk, network and daemons: at most ${formatCount(peakCpuRunning)} instances in CPU phases at once on one host${share}`;
  const flight = single ? `at most ${formatCount(scenario.concurrency)} in flight` : `at most ${formatCount(scenario.concurrency)} in flight over the cluster (each host its share)`;
  startup.push(
    item(
      'instances started (discrete-event simulation)',
      sum(runs, (run) => run.started),
      'count',
      `${arrival}, ${flight} (a slot frees when one is ready); ${where}; disk and network bandwidth shared; serial phases queue one at a time`,
    ),
  );
  return startup;
}
