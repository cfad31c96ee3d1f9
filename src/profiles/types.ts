// The parameter sets the model evaluates a scenario with. Every value is a Param with its source.

import type { BootKind } from '../scenario/types.js';
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
  /** Rate at which an app faults in and fills its memory on one CPU (page faults, zeroing, copying). */
  memoryFillBytesPerSec: Param;
}

/** A plain process on the host: fork/exec, page-level copy-on-write. */
export interface ProcessProfile {
  forkExecMs: Param;
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
}

/** A hypervisor / VMM with its guest's boot path. */
export interface HypervisorProfile {
  description: string;
  vmmStartMs: Param;
  firmwareMs: Param;
  /** Kernel boot, by boot kind (direct boot of a small kernel vs a distribution kernel with initramfs). */
  kernelMs: Record<BootKind, Param>;
  /** Userspace init until the app starts, by boot kind, before guestCpuSlowdown. */
  initMs: Record<BootKind, Param>;
  /** Multiplier on guest userspace and app time (1 under KVM, large under TCG emulation). */
  guestCpuSlowdown: Param;
  vmmOverheadBytes: Param;
  vmmOverheadPerVcpuBytes: Param;
  /** Guest memory touched by a minimal guest: fixed part ... */
  guestBaseTouchedBytes: Param;
  /** ... plus this fraction of configured guest RAM (struct pages, zeroing). */
  guestTouchedPerRamRatio: Param;
  /** Guest userspace memory by boot kind (services, page cache of the OS). */
  guestOsBytes: Record<BootKind, Param>;
  /** Host page cache for image blocks read during boot. */
  bootReadBytes: Record<BootKind, Param>;
  /** Disk written by the boot itself (journal, logs, keys). */
  bootWriteBytes: Record<BootKind, Param>;
  linkedCloneCreateMs: Param;
  overlayInitialBytes: Param;
  clusterBytes: Param;
  /** Clusters of filesystem metadata and journal written per file a guest writes. */
  metadataClustersPerFile: Param;
  /** Fraction of guest kernel and OS pages KSM can merge across identical guests. */
  ksmMergeableRatio: Param;
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
