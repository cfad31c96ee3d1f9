// The container runtime: shared host kernel, content-addressed layers stored once per chain, a
// writable layer per container with whole-file copy-up, daemon paid once, a shim per container.

import type { ContainerRuntimeProfile, ProfileCatalog } from '../profiles/types.js';
import type { Scenario, ServiceSpec } from '../scenario/types.js';
import { overlayWriteCost } from './cow.js';
import { imageFetchPhases } from './fetch.js';
import type { Part, PlatformPlan, ServiceParts } from './plan.js';
import { appMemory, forkParams } from './app-memory.js';
import { appOnHostMemory } from './process.js';
import { appPhases, scriptHold, type Phase } from './phases.js';
import { formatBytes, formatRate } from '../units/format.js';

/** Models the scenario as containers on one engine. */
export function planContainer(scenario: Scenario, catalog: ProfileCatalog): PlatformPlan {
  const { common } = catalog;
  const runtimeOf = (service: ServiceSpec): ContainerRuntimeProfile => {
    const runtime = catalog.runtimes[service.container.runtime];
    if (runtime === undefined) throw new Error(`unknown runtime ${service.container.runtime} (validation should have caught it)`);
    return runtime;
  };
  const layers = storedLayers(scenario.services);
  const layerBytes = layers.reduce((sum, layer) => sum + layer.sizeBytes, 0);
  const runtimeNames = [...new Set(scenario.services.map((service) => service.container.runtime))];
  const perInstance: ServiceParts[] = scenario.services.map((service) => ({
    service: service.name,
    instances: service.instances,
    parts: containerMemory(service, runtimeOf(service), catalog),
    // The app's processes' unique pages and the container's own shim.
    uniqueBytes: appMemory(service.app, forkParams(catalog)).uniqueBytes + runtimeOf(service).shimMemoryBytes.value,
  }));
  return {
    platform: 'container',
    profile: runtimeNames.join(', '),
    lead: scenario.cache === 'cold' ? imageFetchPhases(`${layers.length} stored layer(s)`, layerBytes, scenario.host, common) : [],
    templates: scenario.services.map((service) => ({
      service: service.name,
      instances: service.instances,
      phases: containerPhases(service, runtimeOf(service), scenario, catalog),
    })),
    notCounted: firstStarts(runtimeNames, catalog),
    memoryShared: [...daemonMemory(runtimeNames, catalog), layerPageCache(layerBytes, catalog)],
    memoryPerInstance: perInstance,
    memoryReservedPerInstance: perInstance,
    diskShared: [
      {
        label: 'image layers, each stored once per chain',
        bytes: layerBytes,
        note: `${layers.length} stored layer(s): the same id on the same lower layers is stored once`,
        children: layers.map((layer) => ({ label: layer.id, bytes: layer.sizeBytes, note: layer.note })),
      },
    ],
    diskPerInstance: scenario.services.map((service) => ({
      service: service.name,
      instances: service.instances,
      parts: service.app.files.map((file) => {
        const cost = overlayWriteCost(file, common.fsBlockBytes.value);
        return {
          label: file.path,
          bytes: cost.copiedBytes + cost.writtenBytes,
          note: cost.note,
          children: [
            { label: 'copy-up', bytes: cost.copiedBytes, note: 'whole file copied into the writable layer' },
            { label: 'written', bytes: cost.writtenBytes, note: 'new data' },
          ],
        };
      }),
    })),
    notes: [
      runtimeNames.some((name) => catalog.runtimes[name]?.sandboxMemoryBytes !== undefined)
        ? "gVisor's containers each run on their own user-space kernel (Sentry, with a Gofer for files) instead of the host's; layers and the writable layer as for runc"
        : 'containers share the host kernel and its page cache; the writable layer copies whole files up',
    ],
  };
}

/** A layer as the engine stores it: keyed by its chain (itself and every layer below it). */
interface StoredLayer {
  id: string;
  sizeBytes: number;
  note: string;
}

/**
 * Docker and containerd key stored layers by chain ID: a layer on the same lower layers is stored
 * once; the same layer on a different parent is stored again.
 */
export function storedLayers(services: ServiceSpec[]): StoredLayer[] {
  const byChain = new Map<string, StoredLayer>();
  const chainsOfId = new Map<string, number>();
  for (const service of services) {
    const chain: string[] = [];
    for (const layer of service.image.layers) {
      chain.push(layer.id);
      const key = chain.join('/');
      if (byChain.has(key)) continue;
      const seen = chainsOfId.get(layer.id) ?? 0;
      chainsOfId.set(layer.id, seen + 1);
      byChain.set(key, {
        id: layer.id,
        sizeBytes: layer.sizeBytes,
        note: seen === 0 ? `on ${chain.slice(0, -1).join('/') || 'nothing'}` : `stored again: on another parent chain (${chain.slice(0, -1).join('/')})`,
      });
    }
  }
  return [...byChain.values()];
}

function containerPhases(service: ServiceSpec, runtime: ContainerRuntimeProfile, scenario: Scenario, catalog: ProfileCatalog): Phase[] {
  const blockBytes = catalog.common.fsBlockBytes.value;
  const layers = service.image.layers.length;
  const queue = runtime.daemon;
  const copied = service.app.files.reduce((sum, file) => sum + overlayWriteCost(file, blockBytes).copiedBytes, 0);
  const writeRate = scenario.host.diskWriteBytesPerSec;
  return [
    { label: 'create (daemon, serialised)', ms: runtime.createSerialMs.value, resource: 'serial', queue, note: runtime.createSerialMs.source },
    {
      label: 'create (daemon)',
      ms: Math.max(0, runtime.createMs.value - runtime.createSerialMs.value),
      resource: 'cpu',
      note: `create ${runtime.createMs.value} ms less its serialised part (${runtime.createMs.source})`,
    },
    {
      label: `rootfs (${layers} layer(s))`,
      ms: layers * runtime.layerSetupMsPerLayer.value,
      resource: 'cpu',
      note: `${layers} x ${runtime.layerSetupMsPerLayer.value} ms (${runtime.layerSetupMsPerLayer.source})`,
    },
    // The daemons serialise the start's bookkeeping (containerd's metadata commit of the task, its
    // events) before the shim and the OCI runtime do their CPU work: the queue staggers that work.
    { label: 'start (daemon, serialised)', ms: runtime.startSerialMs.value, resource: 'serial', queue, note: runtime.startSerialMs.source },
    { label: 'start (daemons, shim: CPU)', ms: runtime.startMs.value, resource: 'cpu', note: runtime.startMs.source },
    { label: 'OCI runtime', ms: runtime.runtimeMs.value, resource: 'cpu', note: runtime.runtimeMs.source },
    ...appPhases(service.app, catalog.common.memoryFillBytesPerSec.value, 1, forkParams(catalog), scriptHold(catalog.common)),
    {
      label: 'copy-up before the first write returns',
      ms: (copied / writeRate) * 1000,
      resource: 'disk',
      note: `whole files copied into the writable layer: ${formatBytes(copied)} at ${formatRate(writeRate)} (host disk write)`,
    },
  ];
}

function containerMemory(service: ServiceSpec, runtime: ContainerRuntimeProfile, catalog: ProfileCatalog): Part[] {
  return [
    ...appOnHostMemory(service, catalog),
    { label: 'shim', bytes: runtime.shimMemoryBytes.value, note: runtime.shimMemoryBytes.source },
    { label: 'kernel (cgroup, namespaces, mount)', bytes: runtime.perContainerKernelBytes.value, note: runtime.perContainerKernelBytes.source },
    ...(runtime.sandboxMemoryBytes === undefined ? [] : [{ label: 'sandbox (gVisor Sentry + Gofer)', bytes: runtime.sandboxMemoryBytes.value, note: runtime.sandboxMemoryBytes.source }]),
  ];
}

/** Each distinct daemon once, whatever number of runtimes or containers use it. */
function daemonMemory(runtimeNames: string[], catalog: ProfileCatalog): Part[] {
  const daemons = new Map<string, Part>();
  for (const name of runtimeNames) {
    const runtime = catalog.runtimes[name];
    if (runtime === undefined || daemons.has(runtime.daemon)) continue;
    daemons.set(runtime.daemon, { label: `daemon (${runtime.daemon})`, bytes: runtime.daemonMemoryBytes.value, note: runtime.daemonMemoryBytes.source });
  }
  return [...daemons.values()];
}

/** The first start after each daemon comes up: slower, once per daemon, and not part of a steady-state burst. */
function firstStarts(runtimeNames: string[], catalog: ProfileCatalog): Phase[] {
  const seen = new Map<string, Phase>();
  for (const name of runtimeNames) {
    const runtime = catalog.runtimes[name];
    if (runtime === undefined || seen.has(runtime.daemon)) continue;
    seen.set(runtime.daemon, {
      label: `first start after ${runtime.daemon} comes up (the daemons are taken as running)`,
      ms: runtime.firstStartExtraMs.value,
      resource: 'latency',
      note: runtime.firstStartExtraMs.source,
    });
  }
  return [...seen.values()];
}

function layerPageCache(layerBytes: number, catalog: ProfileCatalog): Part {
  const ratio = catalog.common.imageReadRatio.value;
  return {
    label: 'page cache of image layers',
    bytes: Math.round(layerBytes * ratio),
    note: `one copy for all containers: ${ratio} x ${formatBytes(layerBytes)} of unique layers (${catalog.common.imageReadRatio.source})`,
  };
}
