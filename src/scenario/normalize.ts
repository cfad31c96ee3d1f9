// Raw (shape-checked) scenario -> the normalized Scenario: defaults applied, the host resolved from
// its preset, every size in bytes, every duration in ms, concurrency resolved and clamped.

import { DEFAULT_HOST_PRESET } from '../profiles/hosts.js';
import type { ProfileCatalog } from '../profiles/types.js';
import type { RawScenario, RawService, RawVm } from './schema.js';
import type { ContainerSpec, HostSpec, Scenario, ServiceSpec, VmSpec } from './types.js';

const GiB = 1024 ** 3;
/** MB/s in scenario files are decimal: 1 MB = 10^6 bytes. */
const MB = 1000 ** 2;

/** What a VM gets when neither the scenario nor the service says otherwise. */
export const VM_DEFAULTS = {
  hypervisor: 'qemu-kvm',
  memoryBytes: 1 * GiB,
  vcpus: 1,
  clone: 'linked',
  boot: 'systemd',
  image: { id: 'debian-12-cloud', sizeBytes: 2 * GiB },
} as const satisfies VmSpec;

/** What a container gets when neither the scenario nor the service names a runtime. */
export const CONTAINER_DEFAULTS = { runtime: 'docker-runc' } as const satisfies ContainerSpec;

/** Applies defaults and units; the raw scenario must already have passed the schema and the rules. */
export function normalizeScenario(raw: RawScenario, file: string, catalog: ProfileCatalog): Scenario {
  const asked = raw.container?.runtime ?? CONTAINER_DEFAULTS.runtime;
  const list = typeof asked === 'string' ? [asked] : asked;
  const container: ContainerSpec = { runtime: list[0]! };
  const vm = mergeVm({ ...VM_DEFAULTS, image: { ...VM_DEFAULTS.image } }, raw.vm);
  const services = raw.services.map((service) => normalizeService(service, container, vm));
  const totalInstances = services.reduce((sum, service) => sum + service.instances, 0);
  return {
    name: raw.name,
    description: raw.description.trim(),
    file,
    host: resolveHost(raw.host, catalog),
    cluster: { hosts: raw.host?.count ?? 1, placement: raw.placement ?? 'spread' },
    cache: raw.cache ?? 'warm',
    concurrency: Math.min(raw.concurrency ?? totalInstances, totalInstances),
    ...(raw.arrival === undefined ? {} : { arrival: arrivalOf(raw.arrival) }),
    ...(list.length > 1 ? { runtimes: list } : {}),
    services,
    totalInstances,
  };
}

function normalizeService(service: RawService, container: ContainerSpec, vm: VmSpec): ServiceSpec {
  return {
    name: service.name,
    instances: service.instances,
    app: {
      memoryBytes: service.app.memory,
      ...(service.app.fork === undefined ? {} : { fork: { workers: service.app.fork.workers, writesRatio: service.app.fork.writes } }),
      startupMs: service.app.startup ?? 0,
      files: (service.app.files ?? []).map((file) => ({
        path: file.path,
        sizeBytes: file.size ?? 0,
        writeBytes: file.write,
        mode: file.mode,
      })),
      ...(service.app.lifetime === undefined ? {} : { lifetimeMs: service.app.lifetime }),
    },
    image: {
      ...(service.image.ref === undefined ? {} : { ref: service.image.ref }),
      layers: (service.image.layers ?? []).map((layer) => ({ id: layer.id, sizeBytes: layer.size })),
    },
    container: { runtime: service.container?.runtime ?? container.runtime },
    vm: mergeVm(vm, service.vm),
  };
}

/** Field-by-field override of a VM spec (the image too). */
function mergeVm(base: VmSpec, override: RawVm | undefined): VmSpec {
  if (override === undefined) return { ...base, image: { ...base.image } };
  return {
    hypervisor: override.hypervisor ?? base.hypervisor,
    memoryBytes: override.memory ?? base.memoryBytes,
    vcpus: override.vcpus ?? base.vcpus,
    clone: override.clone ?? base.clone,
    boot: override.boot ?? base.boot,
    ...((override.kernel ?? base.kernel) === undefined ? {} : { kernel: override.kernel ?? base.kernel }),
    image: { id: override.image?.id ?? base.image.id, sizeBytes: override.image?.size ?? base.image.sizeBytes },
  };
}

/** `every: 18s` as is; `perMinute: 200` as one every 60000 / 200 ms; absent: all at once. */
function arrivalOf(raw: NonNullable<RawScenario['arrival']>): Scenario['arrival'] {
  if (raw.every !== undefined) return { everyMs: raw.every };
  if (raw.perMinute !== undefined) return { everyMs: 60_000 / raw.perMinute };
  return null;
}

/** The preset (named, or the default) with the scenario's own fields on top. */
function resolveHost(raw: RawScenario['host'], catalog: ProfileCatalog): HostSpec {
  const presetName = raw?.preset ?? DEFAULT_HOST_PRESET;
  const preset = catalog.hosts[presetName];
  if (preset === undefined) throw new Error(`host preset ${presetName} missing from the catalog`);
  const mbps = (value: number | undefined, fallback: number): number => (value === undefined ? fallback : Math.round(value * MB));
  return {
    preset: presetName,
    cpus: raw?.cpus ?? preset.cpus,
    memoryBytes: raw?.memory ?? preset.memoryBytes,
    diskBytes: raw?.disk ?? preset.diskBytes,
    diskReadBytesPerSec: mbps(raw?.diskReadMBps, preset.diskReadBytesPerSec),
    diskWriteBytesPerSec: mbps(raw?.diskWriteMBps, preset.diskWriteBytesPerSec),
    networkBytesPerSec: mbps(raw?.networkMBps, preset.networkBytesPerSec),
    ksm: raw?.ksm ?? preset.ksm,
    memoryOvercommit: raw?.memoryOvercommit ?? preset.memoryOvercommit,
  };
}
