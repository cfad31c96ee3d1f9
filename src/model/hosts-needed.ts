// The fewest hosts of the scenario's kind that run its whole mix, placed by its own rule (spread or
// binpack), each host paying the shared costs of what it runs.
//
// First with every instance alive at once (a sizing figure): binpack counts the hosts that first fit
// fills; spread searches the smallest count whose most loaded host fits (doubling from a lower bound,
// then bisecting; more hosts never load a spread host more). When instances have lifetimes, fewer hosts
// may do, since instances that end free what they held: those counts are simulated, bisecting below
// the all-alive figure.

import type { ProfileCatalog } from '../profiles/types.js';
import type { Placement, Scenario } from '../scenario/types.js';
import { formatCount } from '../units/format.js';
import { type HostNeeds, type Planner, needsCache } from './host-share.js';
import { binpack, type HowMany, spread } from './placement.js';
import { type PlatformPlan, sumParts } from './plan.js';

export interface HostsNeeded {
  /** null: one instance alone does not fit on a host of this kind. */
  hosts: number | null;
  /** How it was found, for the breakdown. */
  note: string;
}

/** Beyond this many hosts the search stops (a scenario that needs more says so). */
export const MAX_HOSTS_SEARCHED = 1_000_000;

/**
 * @param simulatedFits whether the mix fits on k hosts as the model runs it (lifetimes free capacity);
 *   only called when some service has a lifetime.
 */
export function hostsNeeded(planner: Planner, scenario: Scenario, catalog: ProfileCatalog, plan: PlatformPlan, simulatedFits: (hosts: number) => boolean): HostsNeeded {
  const counts = scenario.services.map((service) => service.instances);
  const placement: Placement = scenario.cluster?.placement ?? 'spread';
  const needs = needsCache(planner, scenario, catalog);
  const howMany = howManyFits(needs);
  const from = lowerBound(plan, scenario, catalog);
  const tooMany = { hosts: null, note: `more than ${formatCount(MAX_HOSTS_SEARCHED)} hosts: the search stops there` };
  if (from > MAX_HOSTS_SEARCHED) return tooMany;
  const fitsOn = (hosts: number): boolean =>
    placement === 'binpack' ? binpack(counts, hosts, howMany).overflow === 0 : spread(counts, hosts, false).every((share) => needs(share.counts).limitedBy === null);
  let allAlive: number | null = from;
  // The lower bound usually fits (always for a mix that fits one host): one check. Otherwise make
  // sure every instance fits an empty host before searching upwards.
  if (!fitsOn(from)) {
    const alone = scenario.services.findIndex((_, s) => needs(counts.map((_, t) => (t === s ? 1 : 0))).limitedBy !== null);
    if (alone >= 0) {
      const by = needs(counts.map((_, t) => (t === alone ? 1 : 0))).limitedBy;
      return { hosts: null, note: `one instance of ${scenario.services[alone]!.name} alone needs more ${by} than a host has: no number of hosts fits` };
    }
    allAlive = placement === 'binpack' ? binpack(counts, null, howMany).shares.length : smallestSpread(counts, fitsOn, from);
  }
  if (allAlive === null) return tooMany;
  const rule = placement === 'binpack' ? 'binpack (first fit, hosts filled in order)' : 'spread (replicas evenly over the hosts)';
  const note = `every instance alive at once, placed by ${rule}; each host pays the shared costs of what it runs`;
  if (!scenario.services.some((service) => service.app.lifetimeMs != null) || allAlive === 1) return { hosts: allAlive, note };
  let lo = 0; // fits on no fewer than lo + 1
  let hi = allAlive;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (simulatedFits(mid)) hi = mid;
    else lo = mid;
  }
  return {
    hosts: hi,
    note: hi < allAlive ? `instances end and free what they held: ${formatCount(hi)} host(s) as simulated (${formatCount(allAlive)} with ${note})` : note,
  };
}

/** Fewer hosts cannot hold the instances' own reserved memory and disk, whatever they share. */
function lowerBound(plan: PlatformPlan, scenario: Scenario, catalog: ProfileCatalog): number {
  const memoryFree = scenario.host.memoryBytes - catalog.common.hostReservedBytes.value;
  const memory = plan.memoryReservedPerInstance.reduce((sum, service) => sum + service.instances * sumParts(service.parts), 0);
  const disk = plan.diskPerInstance.reduce((sum, service) => sum + service.instances * sumParts(service.parts), 0);
  return Math.max(1, Math.ceil(memory / memoryFree), Math.ceil(disk / scenario.host.diskBytes));
}

/** Smallest count of hosts whose spread fits, above `from` (which does not); null beyond MAX_HOSTS_SEARCHED. */
function smallestSpread(counts: number[], fits: (hosts: number) => boolean, from: number): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  const cap = Math.min(total, MAX_HOSTS_SEARCHED);
  let lo = Math.min(from, cap); // known not to fit
  let hi = Math.min(cap, lo * 2);
  while (!fits(hi)) {
    if (hi >= cap) return null; // at `total` hosts each holds at most one instance, which fits (checked before): only the cap gets here
    lo = hi;
    hi = Math.min(cap, hi * 2);
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** How many more replicas of a service fit on a host, all alive at once: a bisection on the count. */
export function howManyFits(needs: (counts: readonly number[]) => HostNeeds): HowMany {
  return (counts, service, wanted) => {
    const fitsWith = (k: number): boolean => needs(counts.map((c, s) => (s === service ? c + k : c))).limitedBy === null;
    if (fitsWith(wanted)) return wanted;
    let lo = 0;
    let hi = wanted; // fitsWith(lo), not fitsWith(hi)
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (fitsWith(mid)) lo = mid;
      else hi = mid;
    }
    return lo;
  };
}
