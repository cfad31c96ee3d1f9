// One host of a cluster: the scenario as that host sees it (its share of the services), and what the
// host needs when all of its instances are alive at once.

import type { ProfileCatalog } from '../profiles/types.js';
import type { HostSpec, Scenario } from '../scenario/types.js';
import { type PlatformPlan, sumParts, sumPerInstance } from './plan.js';

/** A platform model: process, container or vm. */
export type Planner = (scenario: Scenario, catalog: ProfileCatalog) => PlatformPlan;

/**
 * The scenario restricted to one host: its services with their counts there (services with none
 * dropped), and its share of the concurrency (ceil(concurrency x its instances / all), at least 1).
 */
export function hostScenario(scenario: Scenario, counts: readonly number[]): Scenario {
  const services = scenario.services.flatMap((service, s) => {
    const instances = counts[s] ?? 0;
    return instances > 0 ? [{ ...service, instances }] : [];
  });
  const totalInstances = services.reduce((sum, service) => sum + service.instances, 0);
  const concurrency = Math.min(totalInstances, Math.max(1, Math.ceil((scenario.concurrency * totalInstances) / Math.max(1, scenario.totalInstances))));
  const { cluster: _cluster, ...rest } = scenario;
  return { ...rest, services, totalInstances, concurrency };
}

/** Memory and disk one host needs with every instance of its share alive at once. */
export interface HostNeeds {
  memoryBytes: number;
  diskBytes: number;
  /** What runs out first when it does not fit; null when it fits. */
  limitedBy: 'memory' | 'disk' | null;
}

/** Tolerance of a byte comparison, as in the simulator's admission. */
const EPSILON = 1e-9;

/** The host's reserve, its shared costs and every instance's reserved memory; disk likewise. */
export function hostNeeds(plan: PlatformPlan, host: HostSpec, hostReservedBytes: number): HostNeeds {
  const memoryBytes = hostReservedBytes + sumParts(plan.memoryShared) + sumPerInstance(plan.memoryReservedPerInstance);
  const diskBytes = sumParts(plan.diskShared) + sumPerInstance(plan.diskPerInstance);
  const limitedBy = memoryBytes > host.memoryBytes + EPSILON ? 'memory' : diskBytes > host.diskBytes + EPSILON ? 'disk' : null;
  return { memoryBytes, diskBytes, limitedBy };
}

/** hostNeeds per count vector, planned once per distinct vector (hosts of a spread share a few). */
export function needsCache(planner: Planner, scenario: Scenario, catalog: ProfileCatalog): (counts: readonly number[]) => HostNeeds {
  const cache = new Map<string, HostNeeds>();
  const reserve = catalog.common.hostReservedBytes.value;
  return (counts) => {
    const key = counts.join(',');
    let needs = cache.get(key);
    if (needs === undefined) {
      needs = counts.every((c) => c === 0) ? { memoryBytes: 0, diskBytes: 0, limitedBy: null } : hostNeeds(planner(hostScenario(scenario, counts), catalog), scenario.host, reserve);
      cache.set(key, needs);
    }
    return needs;
  };
}
