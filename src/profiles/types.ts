// The parameter sets the model evaluates a scenario with. Every value is a Param with its source.

import type { BootKind, KernelKind } from '../scenario/types.js';
import type { Param } from './param.js';
import type { HostPreset } from './hosts.js';

/** Costs shared by every platform. */
export interface CommonProfile {
  /** Fraction of an image's bytes read at startup, held in page cache. */
  imageReadRatio: Param;
  /** Host memory kept for the host OS itself, not available to instances. */
  hostReservedBytes: Param;
  pageBytes: Param;
  fsBlockBytes: Param;
  /** Compressed (transfer) size / on-disk size of images and packages, for cold fetches. */
  compressionRatio: Param;
  /** Rate at which fetched images are decompressed and written. */
  extractBytesPerSec: Param;
  /** KSM's scan rate at the kernel's defaults. */
  ksmScanBytesPerSec: Param;
  /** Rate at which an app faults in and fills its memory on one CPU (page faults, zeroing, copying). */
  memoryFillBytesPerSec: Param;
  /** Wall time of the benchmark's app script holding app.memory, alone on an idle host (model as run only). */
  appScriptHoldMs: Param;
  /** CPU time of the same, all its processes (a pipeline runs several at once): at least appScriptHoldMs. */
  appScriptHoldCpuMs: Param;
}

/** A plain process on the host: fork/exec, page-level copy-on-write. */
export interface ProcessProfile {
  forkExecMs: Param;
  /** The part of forkExecMs the launching parent serves one child at a time (the rest is the child's exec and start, on a CPU). */
  spawnSerialMs: Param;
  /**
   * CPU time of the child's part of fork/exec (exec, the shell's start, the processes it runs before
   * its first line), all its processes: at least the wall time forkExecMs - spawnSerialMs.
   */
  childStartCpuMs: Param;
  /** CPU time fork() spends per GiB of populated private memory (copying its page tables). */
  forkMsPerGiB: Param;
  /** Kernel memory per process: task, kernel stack, mm, files. */
  perProcessKernelBytes: Param;
  /** Page tables per GiB of resident private memory. */
  pageTableBytesPerGiB: Param;
}

/** A container runtime stack: daemon, shim, OCI runtime, overlayfs. */
export interface ContainerRuntimeProfile {
  description: string;
  /** Which daemon runs (daemons are paid once however many runtimes share them). */
  daemon: string;
  daemonMemoryBytes: Param;
  /** The daemon's create request (config, rootfs snapshot). */
  createMs: Param;
  /** The part of create the daemon serialises across concurrent requests. */
  createSerialMs: Param;
  /** overlayfs mount work per image layer. */
  layerSetupMsPerLayer: Param;
  /** CPU of the daemons' start path beyond the OCI runtime and the serialised part: shim, cgroups, events. */
  startMs: Param;
  /** The part of start the daemons serialise across concurrent requests (waited for in a FIFO queue). */
  startSerialMs: Param;
  /** Extra time of the first start after the daemon comes up (one-time; not counted per container). */
  firstStartExtraMs: Param;
  /** The OCI runtime's create + start (runc, crun). */
  runtimeMs: Param;
  shimMemoryBytes: Param;
  /** Kernel memory per container: cgroups, namespaces, overlay mount. */
  perContainerKernelBytes: Param;
  /** A sandboxing runtime's own memory per container (gVisor: its Sentry and Gofer); absent for runc and crun. */
  sandboxMemoryBytes?: Param;
}

/** A hypervisor / VMM with its guest's boot path. */
export interface HypervisorProfile {
  description: string;
  /** The guest kernel when the scenario names none (`vm.kernel`), with why. */
  defaultKernel: KernelKind;
  defaultKernelWhy: string;
  /** How a linked clone is made on this hypervisor, e.g. "qcow2 overlay" or "device-mapper thin snapshot". */
  linkedClone: string;
  /** How a full clone is made, e.g. "raw copy". */
  fullClone: string;
  vmmStartMs: Param;
  firmwareMs: Param;
  /** Guest kernel boot to init, by kernel kind (CPU-bound guest work). */
  kernelMs: Record<KernelKind, Param>;
  /** Userspace init until the app starts, by boot kind: guest CPU work (slowed by guestCpuSlowdown) ... */
  initCpuMs: Record<BootKind, Param>;
  /** ... and waiting (devices, timers, network) that no CPU speeds up. */
  initWaitMs: Record<BootKind, Param>;
  /** Multiplier on guest CPU work (1 under KVM, larger under TCG emulation). */
  guestCpuSlowdown: Param;
  /** VMM memory beyond guest RAM with one vCPU ... */
  vmmOverheadBytes: Param;
  /** ... and per further vCPU. */
  vmmOverheadPerVcpuBytes: Param;
  /** Guest kernel memory touched after boot (text, data, slab), by kernel kind. */
  guestKernelBytes: Record<KernelKind, Param>;
  /** struct page per page frame: this fraction of guest RAM. */
  guestStructPageRatio: Param;
  /** Other kernel memory that grows with guest RAM (allocator, hash tables), as a fraction of it. */
  guestKernelPerRamRatio: Param;
  /** What this hypervisor's published guests touch beyond the parts above (0 unless a source says otherwise). */
  guestBootExtraBytes: Param;
  /** Guest userspace memory by boot kind (services, page cache of the OS). */
  guestOsBytes: Record<BootKind, Param>;
  /** Host page cache for image blocks read during boot. */
  bootReadBytes: Record<BootKind, Param>;
  /** Disk written by the boot itself (journal, logs, keys). */
  bootWriteBytes: Record<BootKind, Param>;
  linkedCloneCreateMs: Param;
  overlayInitialBytes: Param;
  /** Allocation unit of a linked clone: qcow2 cluster or thin-pool data block. */
  clusterBytes: Param;
  /** Clusters of filesystem metadata and journal written per file a guest writes. */
  metadataClustersPerFile: Param;
  /** Fraction of an identical guest's kernel and OS pages KSM merges once settled (0: memory not marked mergeable). */
  ksmMergeableRatio: Param;
  /** Cloud image download size / its disk size (qcow2 compressed clusters, empty space left out). */
  imageCompressionRatio: Param;
}

/** Everything the model needs, built-in or overridden by a calibrated host profile. */
export interface ProfileCatalog {
  /** "built-in", or the path of the --profile file applied on top. */
  source: string;
  common: CommonProfile;
  process: ProcessProfile;
  runtimes: Record<string, ContainerRuntimeProfile>;
  hypervisors: Record<string, HypervisorProfile>;
  hosts: Record<string, HostPreset>;
}
