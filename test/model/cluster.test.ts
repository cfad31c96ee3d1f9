import { describe, expect, it } from 'vitest';
import { evaluateScenario } from '../../src/model/evaluate.js';
import { builtinCatalog } from '../../src/profiles/catalog.js';
import type { PlatformResult } from '../../src/report/types.js';
import type { Placement, ServiceSpec } from '../../src/scenario/types.js';
import { GiB, MiB, scenario, service } from './scenario-fixture.js';

const catalog = builtinCatalog();
const on = (services: ServiceSpec[], hosts: number, placement: Placement = 'spread', extra = {}) => evaluateScenario(scenario(services, { cluster: { hosts, placement }, ...extra }), catalog);
const result = (results: PlatformResult[], platform: string): PlatformResult => results.find((r) => r.platform === platform)!;

// Figures of one fixture `web` instance on the server preset (32 GiB, 1 GiB reserved for the host), from
// test/model/evaluate.test.ts: a container holds 71 MiB + 128 KiB; a host running containers shares
// 93 MiB (daemons 80 MiB + page cache 13 MiB) and 130 MiB of layers on disk. A VM (1 GiB guest, no
// overcommit) reserves 1 GiB + 26 MiB VMM + 2 MiB EPT = 1052 MiB; its host shares 16 MiB of cached boot reads.
const containerEach = 71 * MiB + 128 * 1024;

describe('6 web containers spread over 3 hosts: 2 per host', () => {
  const results = on([service({ instances: 6 })], 3);
  const container = result(results, 'container');

  it('each host pays its own daemon, page cache and layers: 3 x 93 MiB memory, 3 x 130 MiB disk', () => {
    expect(container.metrics).toMatchObject({
      memorySharedBytes: 3 * 93 * MiB,
      memoryPerInstanceBytes: containerEach,
      memoryTotalBytes: 3 * 93 * MiB + 6 * containerEach,
      diskSharedBytes: 3 * 130 * MiB,
      hostsNeeded: 1, // 93 MiB + 6 x 71.125 MiB fits one host's 31 GiB
    });
  });

  it('fit per host: 2 each, all fit, each using 93 MiB + 2 containers', () => {
    expect(container.fit).toEqual({
      fits: true,
      limitedBy: null,
      instancesThatFit: 6,
      hosts: [0, 1, 2].map(() => ({ instances: 2, fits: true, limitedBy: null, memoryBytes: 93 * MiB + 2 * containerEach, diskBytes: 130 * MiB })),
    });
  });

  it('hosts start in parallel: the same first, last and p50 startup as 2 containers on one host', () => {
    // Each host runs 2 containers (ready at a and b): 6 values a,a,a,b,b,b have the same p50 (a + b) / 2
    // as the 2 values a,b (p99 differs: b against a + 0.99 (b - a)).
    const alone = result(evaluateScenario(scenario([service({ instances: 2 })]), catalog), 'container');
    for (const key of ['startupFirstMs', 'startupAllMs', 'startupP50Ms'] as const) {
      expect(container.metrics[key]).toBeCloseTo(alone.metrics[key]!, 9);
    }
  });

  it('the timeline tags each instance with its host: replica r on host r mod 3', () => {
    expect(container.timeline!.map((t) => [t.index, t.host])).toEqual([
      [0, 0],
      [1, 1],
      [2, 2],
      [3, 0],
      [4, 1],
      [5, 2],
    ]);
  });

  it('the breakdown shows the placement per host', () => {
    const placement = container.breakdown.capacity.find((i) => i.label.startsWith('placement'))!;
    expect(placement.label).toBe('placement: spread over 3 hosts');
    expect(placement.children!.map((c) => [c.label, c.value, c.note])).toEqual([
      ['host 1', 2, 'fits: web x2'],
      ['host 2', 2, 'fits: web x2'],
      ['host 3', 2, 'fits: web x2'],
    ]);
  });
});

describe('70 web VMs (1052 MiB reserved each): a host holds floor((32 GiB - 1 GiB - 16 MiB) / 1052 MiB) = floor(30.16) = 30', () => {
  const web = service({ instances: 70 });

  it('spread over 3 hosts: 24, 23, 23, all fit; hostsNeeded 3 (2 hosts would hold 35 each)', () => {
    const vm = result(on([web], 3), 'vm');
    expect(vm.fit!.hosts!.map((h) => [h.instances, h.fits])).toEqual([
      [24, true],
      [23, true],
      [23, true],
    ]);
    expect(vm.fit!.fits).toBe(true);
    expect(vm.metrics.hostsNeeded).toBe(3);
    expect(vm.metrics.memorySharedBytes).toBe(3 * 16 * MiB);
  });

  it('binpack over 3 hosts: 30, 30, 10', () => {
    const vm = result(on([web], 3, 'binpack'), 'vm');
    expect(vm.fit!.hosts!.map((h) => [h.instances, h.fits])).toEqual([
      [30, true],
      [30, true],
      [10, true],
    ]);
    expect(vm.metrics.hostsNeeded).toBe(3); // ceil(70 / 30)
  });

  it('spread over 2 hosts: 35 each, 30 fit on each (memory); 10 not started', () => {
    const vm = result(on([web], 2), 'vm');
    expect(vm.fit).toMatchObject({ fits: false, limitedBy: 'memory', instancesThatFit: 60 });
    expect(vm.fit!.hosts!.map((h) => [h.instances, h.fits, h.limitedBy])).toEqual([
      [35, false, 'memory'],
      [35, false, 'memory'],
    ]);
    expect(vm.notes).toContain('10 of 70 instance(s) not started: startup figures describe the 60 that ran');
    expect(vm.metrics.hostsNeeded).toBe(3); // the figure does not depend on the hosts the scenario has
  });

  it('one host, as before clusters: hostsNeeded 3 by the same search', () => {
    const vm = result(evaluateScenario(scenario([web]), catalog), 'vm');
    expect(vm.fit).toEqual({ fits: false, limitedBy: 'memory', instancesThatFit: 30 });
    expect(vm.metrics.hostsNeeded).toBe(3);
  });
});

describe('shared costs are paid once per host that runs an instance of them', () => {
  // web x2 and db x1 (own 50 MiB layer on debian-12) as containers. Binpack puts all three on host 1:
  // one daemon (80 MiB) and the page cache of 180 MiB of layers (18 MiB). Spread puts web on hosts 1
  // and 2 and db on host 3: three daemons, page cache 13 + 13 + 17 MiB (debian 120 + web 10, twice;
  // debian 120 + db 50).
  const db = service({
    name: 'db',
    instances: 1,
    image: {
      layers: [
        { id: 'debian-12', sizeBytes: 120 * MiB },
        { id: 'db-app', sizeBytes: 50 * MiB },
      ],
    },
  });
  const services = [service({ instances: 2 }), db];

  it('binpack: one host pays 80 + 18 MiB; hosts 2 and 3 run nothing and pay nothing', () => {
    const container = result(on(services, 3, 'binpack'), 'container');
    expect(container.metrics.memorySharedBytes).toBe(80 * MiB + 18 * MiB);
    expect(container.metrics.diskSharedBytes).toBe(180 * MiB);
    expect(container.fit!.hosts!.map((h) => h.instances)).toEqual([3, 0, 0]);
  });

  it('spread: three hosts pay 3 x 80 MiB + 13 + 13 + 17 MiB; disk 130 + 130 + 170 MiB', () => {
    const container = result(on(services, 3), 'container');
    expect(container.metrics.memorySharedBytes).toBe(3 * 80 * MiB + 43 * MiB);
    expect(container.metrics.diskSharedBytes).toBe(430 * MiB);
  });
});

describe('hostsNeeded', () => {
  it('is null when one instance alone does not fit a host (a 40 GiB VM on 32 GiB)', () => {
    const big = service({ vm: { ...service().vm, memoryBytes: 40 * GiB } });
    const [, container, vm] = evaluateScenario(scenario([big]), catalog);
    expect(container!.metrics.hostsNeeded).toBe(1);
    expect(vm!.metrics.hostsNeeded).toBeNull();
    expect(vm!.breakdown.capacity.at(-1)!.note).toMatch(/^none: one instance of web alone needs more memory than a host has/);
  });

  it('counts instances that end: 40 short-lived VMs one at a time fit one host, though 40 alive would need 2', () => {
    // concurrency 1: the next VM starts when the previous is ready; each lives 1 s, so at most 2 are
    // alive at once. All alive: 40 > 30 per host -> 2 hosts; as simulated, 1.
    const jobs = service({ instances: 40, app: { memoryBytes: 64 * MiB, startupMs: 100, files: [], lifetimeMs: 1000 } });
    const vm = result(evaluateScenario(scenario([jobs], { concurrency: 1 }), catalog), 'vm');
    expect(vm.fit!.fits).toBe(true);
    expect(vm.metrics.hostsNeeded).toBe(1);
    expect(vm.breakdown.capacity.at(-1)!.note).toMatch(/^instances end and free what they held: 1 host\(s\) as simulated \(2 with every instance alive/);
  });
});

describe('a cluster of one', () => {
  it('gives the same results as a scenario without a cluster (spread), and the same metrics with binpack', () => {
    const plain = evaluateScenario(scenario([service({ instances: 5 })]), catalog);
    expect(on([service({ instances: 5 })], 1)).toEqual(plain);
    expect(on([service({ instances: 5 })], 1, 'binpack').map((r) => r.metrics)).toEqual(plain.map((r) => r.metrics));
  });
});

describe('arrivals over a cluster', () => {
  it('keep their cluster-wide times: replica 3 (host 1) is requested at 3 s with one every 1 s', () => {
    const container = result(on([service({ instances: 6 })], 3, 'spread', { arrival: { everyMs: 1000 } }), 'container');
    const third = container.timeline!.find((t) => t.index === 3)!;
    expect(third).toMatchObject({ host: 0, requestedMs: 3000 });
  });
});
