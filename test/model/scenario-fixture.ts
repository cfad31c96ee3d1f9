// A small hand-made scenario for model tests, with every default spelled out.

import { HOST_PRESETS } from '../../src/profiles/hosts.js';
import type { Scenario, ServiceSpec } from '../../src/scenario/types.js';

export const KiB = 1024;
export const MiB = 1024 ** 2;
export const GiB = 1024 ** 3;

/** One service: 64 MiB app, 100 ms startup, two layers, qemu-kvm linked clone with direct kernel boot. */
export function service(overrides: Partial<ServiceSpec> = {}): ServiceSpec {
  return {
    name: 'web',
    instances: 1,
    app: { memoryBytes: 64 * MiB, startupMs: 100, files: [] },
    image: {
      layers: [
        { id: 'debian-12', sizeBytes: 120 * MiB },
        { id: 'web-app', sizeBytes: 10 * MiB },
      ],
    },
    container: { runtime: 'docker-runc' },
    vm: { hypervisor: 'qemu-kvm', memoryBytes: 1 * GiB, vcpus: 1, clone: 'linked', boot: 'kernel', image: { id: 'debian-12-cloud', sizeBytes: 2 * GiB } },
    ...overrides,
  };
}

/** A scenario on the `server` preset (8 CPUs, 32 GiB, 512 GiB), warm cache, all instances at once. */
export function scenario(services: ServiceSpec[] = [service()], overrides: Partial<Scenario> = {}): Scenario {
  const { description: _d, source: _s, ...host } = HOST_PRESETS.server!;
  const totalInstances = services.reduce((sum, s) => sum + s.instances, 0);
  return {
    name: 'fixture',
    description: 'model test fixture',
    file: 'fixture.yaml',
    host: { preset: 'server', ...host },
    cache: 'warm',
    concurrency: totalInstances,
    services,
    totalInstances,
    ...overrides,
  };
}
