// Where a cluster's scheduler puts each instance, before anything starts. Pure: counts in, shares out.
//
// spread: as Docker Swarm's scheduler and Kubernetes' default scoring do, each replica of a service
// goes to the host with the fewest replicas of that service, then the fewest instances in all, then
// the lowest index. Memory is not looked at (Swarm without reservations does not); each host's own
// simulation then decides what fits there.
// binpack: hosts are filled in order (first fit, as Kubernetes' MostAllocated scoring and classic
// Swarm's binpack strategy aim to): each service puts as many replicas as fit, all alive at once, on
// the first host, then the next. What fits on no host is spread round-robin, fewest instances first,
// and waits or stays unstarted in that host's simulation.

/** One host's share of the instances. */
export interface HostShare {
  /** Instances of each service (scenario order) on this host. */
  counts: number[];
  /** Per service, the replica indices (0-based within the service) placed here, ascending. */
  replicas: number[][];
}

/** How many more replicas of `service` fit on a host that already holds `counts` (at most `wanted`). */
export type HowMany = (counts: readonly number[], service: number, wanted: number) => number;

/**
 * Spreads every service's replicas over `hosts` hosts (see the file comment). O(services x hosts);
 * without `withReplicas` only counts are filled (replica lists stay empty), for sizing searches.
 */
export function spread(serviceCounts: readonly number[], hosts: number, withReplicas = true): HostShare[] {
  const shares = emptyShares(serviceCounts.length, hosts);
  const totals = new Float64Array(hosts);
  // Hosts ordered by (total, index); kept sorted by a merge after each service, no sort needed.
  let order = Array.from({ length: hosts }, (_, h) => h);
  serviceCounts.forEach((n, s) => {
    if (n <= 0) return;
    // Full rounds give every host the same number; the partial round goes to the first `rest` in order.
    const each = Math.floor(n / hosts);
    const rest = n % hosts;
    for (let p = 0; p < hosts; p += 1) {
      const h = order[p]!;
      const count = each + (p < rest ? 1 : 0);
      if (count === 0) continue;
      shares[h]!.counts[s] = count;
      totals[h] = totals[h]! + count;
      if (!withReplicas) continue;
      const own: number[] = new Array<number>(count);
      for (let j = 0; j < count; j += 1) own[j] = j * hosts + p; // replica r sits at position r mod hosts
      shares[h]!.replicas[s] = own;
    }
    if (rest > 0) order = mergeByTotal(order.slice(rest), order.slice(0, rest), totals);
  });
  return shares;
}

/**
 * Fills hosts in order (see the file comment). With `hosts` null, opens a new host whenever the open
 * ones are full; `howMany` must then place at least one replica on an empty host.
 * Returns the shares and the replicas that fit nowhere (spread round-robin over the hosts).
 */
export function binpack(serviceCounts: readonly number[], hosts: number | null, howMany: HowMany): { shares: HostShare[]; overflow: number } {
  const services = serviceCounts.length;
  const shares = emptyShares(services, hosts ?? 0);
  let overflow = 0;
  serviceCounts.forEach((n, s) => {
    let placed = 0;
    for (let h = 0; placed < n && (hosts === null || h < hosts); h += 1) {
      if (h === shares.length) shares.push(emptyShares(services, 1)[0]!);
      const share = shares[h]!;
      const k = Math.min(n - placed, howMany(share.counts, s, n - placed));
      if (k <= 0) {
        if (hosts === null && share.counts.every((c) => c === 0)) throw new Error(`binpack: a replica of service ${s} does not fit on an empty host`);
        continue;
      }
      share.counts[s] = k;
      share.replicas[s] = Array.from({ length: k }, (_, j) => placed + j);
      placed += k;
    }
    if (placed < n) {
      overflow += n - placed;
      spreadRest(shares, s, placed, n);
    }
  });
  return { shares, overflow };
}

/** Replicas [from, to) of service s, round-robin over the hosts, fewest instances first. */
function spreadRest(shares: HostShare[], s: number, from: number, to: number): void {
  const total = (h: number): number => shares[h]!.counts.reduce((a, b) => a + b, 0);
  const order = shares.map((_, h) => h).sort((a, b) => total(a) - total(b) || a - b);
  for (let r = from; r < to; r += 1) {
    const share = shares[order[(r - from) % order.length]!]!;
    share.counts[s] = share.counts[s]! + 1;
    share.replicas[s]!.push(r);
  }
}

function emptyShares(services: number, hosts: number): HostShare[] {
  return Array.from({ length: hosts }, () => ({ counts: new Array<number>(services).fill(0), replicas: Array.from({ length: services }, () => []) }));
}

/** Merges two host lists, each sorted by (total, index), into one. */
function mergeByTotal(a: number[], b: number[], totals: Float64Array): number[] {
  const out: number[] = new Array<number>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  const before = (x: number, y: number): boolean => totals[x]! < totals[y]! || (totals[x] === totals[y] && x < y);
  while (i < a.length && j < b.length) out[k++] = before(a[i]!, b[j]!) ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}
