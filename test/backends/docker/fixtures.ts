// Small normalized scenarios for the real-backend tests (built by hand, no YAML).

import { CleanupStack } from '../../../src/backends/shared/cleanup.js';
import type { RealRunOptions } from '../../../src/backends/types.js';
import type { FileWrite, Scenario, ServiceSpec } from '../../../src/scenario/types.js';

export const KiB = 1024;
export const MiB = 1024 ** 2;

/** One service with the given layers, memory, startup and files. */
export function service(name: string, instances: number, layers: [id: string, bytes: number][], app: { memoryBytes?: number; startupMs?: number; files?: FileWrite[] } = {}): ServiceSpec {
  return {
    name,
    instances,
    app: { memoryBytes: app.memoryBytes ?? 4 * MiB, startupMs: app.startupMs ?? 50, files: app.files ?? [] },
    image: { layers: layers.map(([id, sizeBytes]) => ({ id, sizeBytes })) },
    container: { runtime: 'docker-runc' },
    vm: { hypervisor: 'qemu-kvm', memoryBytes: 256 * MiB, vcpus: 1, clone: 'linked', boot: 'kernel', image: { id: 'vm', sizeBytes: 64 * MiB } },
  };
}

/** A scenario of these services. */
export function scenario(name: string, services: ServiceSpec[], concurrency = 4): Scenario {
  const totalInstances = services.reduce((sum, s) => sum + s.instances, 0);
  return {
    name,
    description: `test scenario ${name}`,
    file: `${name}.yaml`,
    host: {
      preset: null,
      cpus: 2,
      memoryBytes: 24 * 1024 ** 3,
      diskBytes: 100 * 1024 ** 3,
      diskReadBytesPerSec: 500e6,
      diskWriteBytesPerSec: 400e6,
      networkBytesPerSec: 100e6,
      ksm: false,
      memoryOvercommit: false,
    },
    cache: 'warm',
    concurrency: Math.min(concurrency, totalInstances),
    services,
    totalInstances,
  };
}

/** The options an engine test runs a backend with: one measured batch, no warm-up, its own cleanup stack. */
export function runOptions(runId: string, overrides: Partial<RealRunOptions> = {}): RealRunOptions {
  return {
    runId,
    scale: 1,
    maxInstances: 20,
    repetitions: 1,
    warmup: 0,
    instanceTimeoutMs: 20_000,
    signal: new AbortController().signal,
    cleanup: new CleanupStack(),
    progress: () => {},
    ...overrides,
  };
}
