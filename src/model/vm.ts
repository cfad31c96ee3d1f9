// The hypervisor: a full guest per instance (own kernel, own page cache), guest RAM paid as the
// guest touches it, VMM overhead, qcow2 linked clones growing by clusters or full copies.

import type { HypervisorProfile, ProfileCatalog } from '../profiles/types.js';
import type { KernelKind, Scenario, ServiceSpec } from '../scenario/types.js';
import { clusterWriteCost, roundUp } from './cow.js';
import { fetchPhases } from './fetch.js';
import type { Part, PlatformPlan, ServiceParts } from './plan.js';
import { sumParts, uniqueById } from './plan.js';
import { appMemory, forkParams, pageTables } from './app-memory.js';
import { appPhases, scriptHold, type Phase } from './phases.js';
import { formatBytes, formatMs, formatRate } from '../units/format.js';

/** Models the scenario as one VM per instance. */
export function planVm(scenario: Scenario, catalog: ProfileCatalog): PlatformPlan {
  const hypervisorOf = (service: ServiceSpec): HypervisorProfile => {
    const hypervisor = catalog.hypervisors[service.vm.hypervisor];
    if (hypervisor === undefined) throw new Error(`unknown hypervisor ${service.vm.hypervisor} (validation should have caught it)`);
    return hypervisor;
  };
  const images = uniqueById(scenario.services.map((service) => service.vm.image));
  const imageBytes = images.reduce((sum, image) => sum + image.sizeBytes, 0);
  const ksmGroups = ksmGroupSizes(scenario);
  const memoryShared: Part[] = [];
  const perInstance: ServiceParts[] = [];
  const reserved: ServiceParts[] = [];
  const sharedCacheOf = new Set<string>();
  const mergedGroups = new Set<string>();
  let ksmScanned = 0;
  let ksmSaved = 0;
  for (const service of scenario.services) {
    const hypervisor = hypervisorOf(service);
    const { parts, mergedBytes, touched } = vmMemory(service, hypervisor, scenario, catalog, ksmGroups);
    if (hypervisor.ksmMergeableRatio.value > 0) ksmScanned += touched * service.instances;
    if (mergedBytes > 0) ksmSaved += mergedBytes * (service.instances - 1);
    const bootRead = hypervisor.bootReadBytes[service.vm.boot];
    const hostCache: Part = {
      label: 'host page cache of the boot reads',
      bytes: bootRead.value,
      note: bootRead.source,
    };
    // A direct kernel boot reads the kernel and initramfs, host files every guest shares; other boots
    // read the disk: one cached base for linked clones, a separate file (and cache) per full copy.
    const sharedFile = service.vm.boot === 'kernel' ? 'the guest kernel and initramfs' : service.vm.clone === 'linked' ? service.vm.image.id : null;
    if (sharedFile === null) {
      parts.push({ ...hostCache, note: `${hostCache.note}; a full copy is a separate file, cached per VM` });
    } else if (!sharedCacheOf.has(sharedFile)) {
      sharedCacheOf.add(sharedFile);
      memoryShared.push({ ...hostCache, label: `host page cache of ${sharedFile}`, note: `${hostCache.note}; one cached copy for every guest` });
    }
    const group = ksmKey(service);
    if (mergedBytes > 0 && !mergedGroups.has(group)) {
      mergedGroups.add(group);
      memoryShared.push({ label: `KSM-merged guest pages once settled (${group})`, bytes: mergedBytes, note: hypervisor.ksmMergeableRatio.source });
    }
    // The VMM process maps the guest's pages privately: all of it is the VM's own, less what KSM merged.
    perInstance.push({ service: service.name, instances: service.instances, parts, uniqueBytes: touched + vmmOverhead(service, hypervisor).bytes - mergedBytes });
    reserved.push({ service: service.name, instances: service.instances, parts: reservedMemory(service, hypervisor, parts, scenario, catalog) });
  }
  const ksmNotes: string[] = [];
  if (ksmSaved > 0) {
    const rate = catalog.common.ksmScanBytesPerSec;
    const settleMs = ((2 * ksmScanned) / rate.value) * 1000;
    ksmNotes.push(
      `KSM: memory figures are settled ones (saving ${formatBytes(ksmSaved)}); settling takes ~${formatMs(settleMs)}: two full scans of ${formatBytes(ksmScanned)} of guest memory at ${formatRate(rate.value)} (${rate.source}); until then each VM holds its unmerged pages`,
    );
  }
  const fetchRatio = scenario.services.map((service) => hypervisorOf(service).imageCompressionRatio)[0];
  return {
    platform: 'vm',
    profile: [...new Set(scenario.services.map((service) => service.vm.hypervisor))].join(', '),
    lead:
      scenario.cache === 'cold'
        ? fetchPhases(
            `${images.length} base image(s), compressed (x${fetchRatio?.value.toFixed(2)}: ${fetchRatio?.source})`,
            Math.round(imageBytes * (fetchRatio?.value ?? 1)),
            imageBytes,
            scenario.host,
            Math.min(scenario.host.diskWriteBytesPerSec, catalog.common.extractBytesPerSec.value),
          )
        : [],
    templates: scenario.services.map((service) => ({
      service: service.name,
      instances: service.instances,
      phases: vmPhases(service, hypervisorOf(service), scenario, catalog),
    })),
    memoryShared,
    memoryPerInstance: perInstance,
    memoryReservedPerInstance: reserved,
    diskShared: [
      {
        label: 'base images, each stored once',
        bytes: imageBytes,
        note: `${images.length} unique image(s) by id`,
        children: images.map((image) => ({ label: image.id, bytes: image.sizeBytes, note: 'base image' })),
      },
    ],
    diskPerInstance: scenario.services.map((service) => ({
      service: service.name,
      instances: service.instances,
      parts: vmDisk(service, hypervisorOf(service)),
    })),
    notes: [
      'each VM runs its own kernel and keeps its own page cache; the host pays guest RAM as the guest touches it',
      ...(scenario.host.memoryOvercommit ? [] : ['without memory overcommit each VM reserves its configured guest RAM (fit and maxInstances)']),
      ...ksmNotes,
    ],
  };
}

/** The guest kernel a service boots: its own `vm.kernel`, else the hypervisor's default. */
export function kernelOf(service: ServiceSpec, hypervisor: HypervisorProfile): KernelKind {
  return service.vm.kernel ?? hypervisor.defaultKernel;
}

function vmPhases(service: ServiceSpec, hypervisor: HypervisorProfile, scenario: Scenario, catalog: ProfileCatalog): Phase[] {
  const { boot } = service.vm;
  const kernel = kernelOf(service, hypervisor);
  const slowdown = hypervisor.guestCpuSlowdown.value;
  const clone: Phase =
    service.vm.clone === 'linked'
      ? {
          label: `linked clone: ${hypervisor.linkedClone}`,
          ms: hypervisor.linkedCloneCreateMs.value,
          resource: hypervisor.overlayInitialBytes.value === 0 ? 'serial' : 'cpu',
          ...(hypervisor.overlayInitialBytes.value === 0 ? { queue: 'thin-pool metadata' } : {}),
          note: hypervisor.linkedCloneCreateMs.source,
        }
      : {
          label: `full clone: ${hypervisor.fullClone}`,
          ms: (service.vm.image.sizeBytes / scenario.host.diskWriteBytesPerSec) * 1000,
          resource: 'disk',
          note: `${formatBytes(service.vm.image.sizeBytes)} at ${formatRate(scenario.host.diskWriteBytesPerSec)} (host disk write)`,
        };
  const kernelMs = hypervisor.kernelMs[kernel];
  return [
    clone,
    { label: 'VMM start', ms: hypervisor.vmmStartMs.value, resource: 'cpu', note: hypervisor.vmmStartMs.source },
    { label: 'firmware', ms: hypervisor.firmwareMs.value, resource: 'cpu', note: hypervisor.firmwareMs.source },
    { label: `guest kernel (${kernel})`, ms: kernelMs.value, resource: 'cpu', note: `${kernelMs.source}${service.vm.kernel ? '' : `; default kernel: ${hypervisor.defaultKernelWhy}`}` },
    {
      label: `init (${boot}): CPU`,
      ms: hypervisor.initCpuMs[boot].value * slowdown,
      resource: 'cpu',
      note: `${hypervisor.initCpuMs[boot].source}${slowdown === 1 ? '' : `; x${slowdown} guest slowdown`}`,
    },
    { label: `init (${boot}): waiting`, ms: hypervisor.initWaitMs[boot].value, resource: 'latency', note: hypervisor.initWaitMs[boot].source },
    ...appPhases(service.app, catalog.common.memoryFillBytesPerSec.value, slowdown, forkParams(catalog), scriptHold(catalog.common)),
  ];
}

/** The app inside the guest: its pages, or, when it forks, the parent's once and each worker's writes. */
function guestApp(service: ServiceSpec, catalog: ProfileCatalog): Part {
  const parts = appMemory(service.app, forkParams(catalog)).parts;
  if (service.app.fork === undefined) return { label: 'app', bytes: parts[0]!.bytes, note: 'scenario app.memory' };
  return { label: 'app (forked workers share its pages)', bytes: sumParts(parts), note: 'the same sharing as on a host kernel, inside the guest', children: parts };
}

/** Memory one VM adds on the host, and the bytes KSM merges away from it (paid once in shared). */
function vmMemory(
  service: ServiceSpec,
  hypervisor: HypervisorProfile,
  scenario: Scenario,
  catalog: ProfileCatalog,
  ksmGroups: Map<string, number>,
): { parts: Part[]; mergedBytes: number; touched: number } {
  const { common, process } = catalog;
  const ram = service.vm.memoryBytes;
  const page = common.pageBytes.value;
  const kernelKind = kernelOf(service, hypervisor);
  const kernelFixed = hypervisor.guestKernelBytes[kernelKind];
  const structPages = roundUp(hypervisor.guestStructPageRatio.value * ram, page);
  const perRam = roundUp(hypervisor.guestKernelPerRamRatio.value * ram, page);
  const extra = hypervisor.guestBootExtraBytes.value;
  const kernel = kernelFixed.value + structPages + perRam + extra;
  const os = hypervisor.guestOsBytes[service.vm.boot].value;
  const layerBytes = service.image.layers.reduce((sum, layer) => sum + layer.sizeBytes, 0);
  const guest: Part[] = [
    {
      label: `guest kernel (${kernelKind})`,
      bytes: kernel,
      note: `its text, data and slab, and tables that grow with its ${formatBytes(ram)} of RAM`,
      children: [
        { label: 'kernel after boot', bytes: kernelFixed.value, note: kernelFixed.source },
        { label: 'struct pages', bytes: structPages, note: hypervisor.guestStructPageRatio.source },
        { label: 'other per-RAM kernel memory', bytes: perRam, note: hypervisor.guestKernelPerRamRatio.source },
        ...(extra > 0 ? [{ label: "this hypervisor's published guests: beyond the parts", bytes: extra, note: hypervisor.guestBootExtraBytes.source }] : []),
      ],
    },
    { label: `guest OS (${service.vm.boot})`, bytes: os, note: hypervisor.guestOsBytes[service.vm.boot].source },
    guestApp(service, catalog),
    {
      label: 'guest page cache',
      bytes: Math.round(layerBytes * common.imageReadRatio.value),
      note: `its own copy in every guest: ${common.imageReadRatio.value} x ${formatBytes(layerBytes)} of app files`,
    },
  ];
  const wanted = sumParts(guest);
  const touched = Math.min(wanted, ram);
  if (wanted > ram) {
    guest.push({ label: 'capped at guest RAM', bytes: ram - wanted, note: `the guest has only ${formatBytes(ram)}: it would swap or kill the app` });
  }
  const parts: Part[] = [
    { label: 'guest memory touched', bytes: touched, note: `of ${formatBytes(ram)} configured; the host pays touched pages only`, children: guest },
    vmmOverhead(service, hypervisor),
    { label: 'page tables (EPT)', bytes: pageTables(touched, process.pageTableBytesPerGiB.value), note: process.pageTableBytesPerGiB.source },
  ];
  let mergedBytes = 0;
  if (scenario.host.ksm && (ksmGroups.get(ksmKey(service)) ?? 0) >= 2) {
    mergedBytes = Math.round(hypervisor.ksmMergeableRatio.value * Math.min(kernel + os, touched));
    parts.push({ label: 'KSM-merged once settled (paid once, in shared)', bytes: -mergedBytes, note: hypervisor.ksmMergeableRatio.source });
  }
  return { parts, mergedBytes, touched };
}

/** The VMM's own memory: its figure with one vCPU, plus each further vCPU (counted once). */
function vmmOverhead(service: ServiceSpec, hypervisor: HypervisorProfile): Part {
  const more = Math.max(0, service.vm.vcpus - 1);
  return {
    label: 'VMM overhead',
    bytes: hypervisor.vmmOverheadBytes.value + hypervisor.vmmOverheadPerVcpuBytes.value * more,
    note: `${hypervisor.vmmOverheadBytes.source}${more === 0 ? '' : `; + ${more} more vCPU(s): ${hypervisor.vmmOverheadPerVcpuBytes.source}`}`,
  };
}

/** What a VM holds back for capacity: its whole guest RAM unless the host overcommits memory. */
function reservedMemory(service: ServiceSpec, hypervisor: HypervisorProfile, used: Part[], scenario: Scenario, catalog: ProfileCatalog): Part[] {
  // KSM merges only after it has scanned (minutes): a starting VM needs its unmerged pages.
  if (scenario.host.memoryOvercommit) return used.filter((part) => !part.label.startsWith('KSM'));
  const ram = service.vm.memoryBytes;
  const hostCache = used.find((part) => part.label.startsWith('host page cache'));
  return [
    { label: 'guest RAM reserved', bytes: ram, note: 'no overcommit: the configured size is set aside' },
    vmmOverhead(service, hypervisor),
    { label: 'page tables (EPT)', bytes: pageTables(ram, catalog.process.pageTableBytesPerGiB.value), note: 'for the whole guest RAM' },
    ...(hostCache ? [hostCache] : []),
  ];
}

function vmDisk(service: ServiceSpec, hypervisor: HypervisorProfile): Part[] {
  const cluster = hypervisor.clusterBytes.value;
  const full = service.vm.clone === 'full';
  const bootWrite = hypervisor.bootWriteBytes[service.vm.boot];
  const parts: Part[] = [
    full
      ? { label: hypervisor.fullClone, bytes: service.vm.image.sizeBytes, note: `${service.vm.image.id}, copied per VM` }
      : { label: `fresh ${hypervisor.linkedClone}`, bytes: hypervisor.overlayInitialBytes.value, note: hypervisor.overlayInitialBytes.source },
    {
      label: `boot writes (${service.vm.boot})`,
      bytes: roundUp(bootWrite.value, cluster),
      note: `${bootWrite.source}; in ${formatBytes(cluster)} allocation units`,
    },
  ];
  const metadata = hypervisor.metadataClustersPerFile.value * cluster;
  for (const file of service.app.files) {
    const cost = clusterWriteCost(file, cluster, full);
    parts.push({
      label: file.path,
      bytes: cost.writtenBytes + metadata,
      note: cost.note,
      children: [
        { label: 'data clusters', bytes: cost.writtenBytes, note: cost.note },
        { label: 'metadata clusters', bytes: metadata, note: hypervisor.metadataClustersPerFile.source },
      ],
    });
  }
  return parts;
}

/** Identical guests KSM can merge: same base image booted the same way. */
function ksmKey(service: ServiceSpec): string {
  return `${service.vm.image.id}/${service.vm.boot}`;
}

function ksmGroupSizes(scenario: Scenario): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const service of scenario.services) sizes.set(ksmKey(service), (sizes.get(ksmKey(service)) ?? 0) + service.instances);
  return sizes;
}
