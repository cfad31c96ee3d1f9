// Defaults and units, through parseScenarioText so the test reads like a scenario file.

import { describe, expect, it } from 'vitest';
import { builtinCatalog } from '../../src/profiles/catalog.js';
import { parseScenarioText } from '../../src/scenario/load.js';

const catalog = builtinCatalog();
const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

const minimal = `
name: tiny
description: "  The smallest valid scenario.  "
services:
  - name: web
    instances: 3
    app: { memory: 96MiB }
    image: { layers: [ { id: alpine-3.22, size: 8MiB } ] }
`;

describe('normalizeScenario', () => {
  it('applies every default to a minimal scenario', () => {
    const scenario = parseScenarioText(minimal, 'tiny.yaml', catalog);
    expect(scenario).toEqual({
      name: 'tiny',
      description: 'The smallest valid scenario.',
      file: 'tiny.yaml',
      // the 'server' preset: 8 cores, 32 GiB, 512 GiB, 1000/800/125 MB/s, no KSM, no overcommit
      host: {
        preset: 'server',
        cpus: 8,
        memoryBytes: 32 * GiB,
        diskBytes: 512 * GiB,
        diskReadBytesPerSec: 1_000_000_000,
        diskWriteBytesPerSec: 800_000_000,
        networkBytesPerSec: 125_000_000,
        ksm: false,
        memoryOvercommit: false,
      },
      cluster: { hosts: 1, placement: 'spread' }, // default: one host
      cache: 'warm',
      concurrency: 3, // default: all instances
      services: [
        {
          name: 'web',
          instances: 3,
          app: { memoryBytes: 96 * MiB, startupMs: 0, files: [] },
          image: { layers: [{ id: 'alpine-3.22', sizeBytes: 8 * MiB }] },
          container: { runtime: 'docker-runc' },
          vm: {
            hypervisor: 'qemu-kvm',
            memoryBytes: 1 * GiB,
            vcpus: 1,
            clone: 'linked',
            boot: 'systemd',
            image: { id: 'debian-12-cloud', sizeBytes: 2 * GiB },
          },
        },
      ],
      totalInstances: 3,
    });
  });

  it('takes host fields over a named preset; MB/s are decimal', () => {
    const scenario = parseScenarioText(minimal + 'host: { preset: laptop, cpus: 4, diskReadMBps: 1500.5, networkMBps: 12.5, memoryOvercommit: true }\n', 'f.yaml', catalog);
    expect(scenario.host).toEqual({
      preset: 'laptop',
      cpus: 4,
      memoryBytes: 16 * GiB, // from the laptop preset
      diskBytes: 512 * GiB,
      diskReadBytesPerSec: 1_500_500_000, // 1500.5 * 10^6
      diskWriteBytesPerSec: 2_000_000_000,
      networkBytesPerSec: 12_500_000,
      ksm: false,
      memoryOvercommit: true,
    });
  });

  it('accepts a preset name as the whole host', () => {
    expect(parseScenarioText(minimal + 'host: density-server\n', 'f.yaml', catalog).host).toMatchObject({ preset: 'density-server', cpus: 64, ksm: true });
  });

  it('clamps concurrency to the total instances', () => {
    // 3 instances; concurrency 100 -> 3.
    expect(parseScenarioText(minimal + 'concurrency: 100\n', 'f.yaml', catalog).concurrency).toBe(3);
    expect(parseScenarioText(minimal + 'concurrency: 2\n', 'f.yaml', catalog).concurrency).toBe(2);
  });

  it('merges VM settings field by field: defaults < top-level vm < service vm (image too)', () => {
    const text = `
name: merge
description: Merging.
cache: cold
container: { runtime: crun }
vm: { hypervisor: firecracker, memory: 256MiB, boot: kernel, image: { id: fc-rootfs, size: 64MiB } }
services:
  - name: a
    instances: 1
    app: { memory: 32MiB, startup: 1.5s }
    image: { ref: "alpine:3.20" }
  - name: b
    instances: 2
    app:
      memory: 32MiB
      files: [ { path: /var/log/b.log, write: 1KB, mode: create } ]
    image: { ref: "alpine:3.20", layers: [ { id: extra, size: 0 } ] }
    container: { runtime: containerd-runc }
    vm: { vcpus: 2, clone: full, image: { id: fc-rootfs-big, size: 128MiB } }
`;
    const scenario = parseScenarioText(text, 'merge.yaml', catalog);
    const [a, b] = scenario.services;
    expect(scenario.cache).toBe('cold');
    expect(a?.app.startupMs).toBe(1500);
    expect(a?.image).toEqual({ ref: 'alpine:3.20', layers: [] });
    // `crun` is the earlier name of docker-crun (RUNTIME_ALIASES): accepted, stored as the profile.
    expect(a?.container).toEqual({ runtime: 'docker-crun' });
    expect(a?.vm).toEqual({ hypervisor: 'firecracker', memoryBytes: 256 * MiB, vcpus: 1, clone: 'linked', boot: 'kernel', image: { id: 'fc-rootfs', sizeBytes: 64 * MiB } });
    expect(b?.app.files).toEqual([{ path: '/var/log/b.log', sizeBytes: 0, writeBytes: 1000, mode: 'create' }]);
    expect(b?.container).toEqual({ runtime: 'containerd-runc' });
    expect(b?.vm).toEqual({ hypervisor: 'firecracker', memoryBytes: 256 * MiB, vcpus: 2, clone: 'full', boot: 'kernel', image: { id: 'fc-rootfs-big', sizeBytes: 128 * MiB } });
    expect(scenario.totalInstances).toBe(3);
  });

  it('accepts a million instances (the model can take it)', () => {
    expect(parseScenarioText(minimal.replace('instances: 3', 'instances: 1000000'), 'f.yaml', catalog).totalInstances).toBe(1_000_000);
  });

  it('uses the names of the catalog it is given (a calibrated profile may add runtimes)', () => {
    const custom = builtinCatalog();
    custom.runtimes['kata-qemu'] = custom.runtimes['docker-crun']!;
    const text = minimal + 'container: { runtime: kata-qemu }\n';
    expect(parseScenarioText(text, 'f.yaml', custom).services[0]?.container.runtime).toBe('kata-qemu');
    expect(() => parseScenarioText(text, 'f.yaml', catalog)).toThrow(/unknown container runtime "kata-qemu"/);
  });

  it('takes a list of runtimes at the top level as a comparison; services carry the first', () => {
    const scenario = parseScenarioText(minimal + 'container: { runtime: [runc, docker-runsc] }\n', 'f.yaml', catalog);
    // runc is an alias of docker-runc; the list has two entries, so it is kept as the comparison.
    expect(scenario.runtimes).toEqual(['docker-runc', 'docker-runsc']);
    expect(scenario.services[0]?.container.runtime).toBe('docker-runc');
    expect(parseScenarioText(minimal + 'container: { runtime: [docker-crun] }\n', 'f.yaml', catalog).runtimes).toBeUndefined();
    expect(() => parseScenarioText(minimal + 'container: { runtime: [docker-runc, runc] }\n', 'f.yaml', catalog)).toThrow(/listed twice/);
    expect(() => parseScenarioText(minimal + 'container: { runtime: [docker-runc, docker-runz] }\n', 'f.yaml', catalog)).toThrow(/\[1\]: unknown container runtime "docker-runz"/);
  });
});
