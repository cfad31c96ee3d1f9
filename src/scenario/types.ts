// The normalized scenario: what the model and the real backends consume once a YAML file has been
// validated, defaults applied and every size and duration turned into bytes and milliseconds.

/** How an instance writes a file (see ../shared/reference/mechanics.md). */
export type FileWriteMode = 'create' | 'append' | 'modify' | 'overwrite';

export const FILE_WRITE_MODES: readonly FileWriteMode[] = ['create', 'append', 'modify', 'overwrite'];

/** One file written by EACH instance after it starts. */
export interface FileWrite {
  path: string;
  /** Size of the file in the image before the write (0 for `create`). */
  sizeBytes: number;
  /** Bytes the instance writes. */
  writeBytes: number;
  mode: FileWriteMode;
}

/** A content-addressed container image layer: the same id anywhere is the same layer, stored once. */
export interface Layer {
  id: string;
  sizeBytes: number;
}

export interface ImageSpec {
  /** An existing local image to run instead of building one (real backends only). */
  ref?: string;
  layers: Layer[];
}

/** Workers an app forks once it has loaded (pre-forked servers: gunicorn, PHP-FPM, Apache prefork). */
export interface ForkSpec {
  workers: number;
  /** Share of the parent's pages each worker writes (0..1); the rest stays shared copy-on-write. */
  writesRatio: number;
}

export interface AppSpec {
  /** Resident memory of the app itself (the parent's, once loaded, when it forks workers). */
  memoryBytes: number;
  /** Workers forked after the app loads; absent: a single process. */
  fork?: ForkSpec;
  /** The app's own initialisation once its environment is up. */
  startupMs: number;
  files: FileWrite[];
  /** How long an instance lives once ready (then it ends and frees its memory and disk); null: it stays up. */
  lifetimeMs?: number | null;
  /**
   * Set only on the model as run: isobench's app script holds app.memory with busybox processes (a
   * subshell, dd, head, wc) whose CPU is part of each measured start; a real app needs none of them.
   */
  heldByScript?: boolean;
}

export type CloneKind = 'linked' | 'full';
export type BootKind = 'kernel' | 'systemd' | 'cloud-init';

export const CLONE_KINDS: readonly CloneKind[] = ['linked', 'full'];
/** The guest kernel: a minimal one built for microVMs, or a distribution's with its initramfs. */
export type KernelKind = 'minimal' | 'distro';
export const KERNEL_KINDS: readonly KernelKind[] = ['minimal', 'distro'];
export const BOOT_KINDS: readonly BootKind[] = ['kernel', 'systemd', 'cloud-init'];

export interface VmImage {
  id: string;
  sizeBytes: number;
}

export interface VmSpec {
  hypervisor: string;
  memoryBytes: number;
  vcpus: number;
  clone: CloneKind;
  boot: BootKind;
  /** null: the hypervisor's default (minimal for Firecracker and Cloud Hypervisor, distro for QEMU). */
  kernel?: KernelKind | null;
  image: VmImage;
}

export interface ContainerSpec {
  runtime: string;
}

export interface HostSpec {
  /** The named preset the host started from, if any. */
  preset: string | null;
  cpus: number;
  memoryBytes: number;
  diskBytes: number;
  diskReadBytesPerSec: number;
  diskWriteBytesPerSec: number;
  /** Rate at which images are fetched when `cache: cold`. */
  networkBytesPerSec: number;
  /** Kernel same-page merging across VMs. */
  ksm: boolean;
  /** When false, each VM reserves its configured guest RAM for capacity planning. */
  memoryOvercommit: boolean;
}

export type CacheState = 'warm' | 'cold';

/** How a cluster's scheduler places instances: spread evenly (Swarm, Kubernetes default) or fill hosts in order. */
export type Placement = 'spread' | 'binpack';
export const PLACEMENTS: readonly Placement[] = ['spread', 'binpack'];

/** Identical hosts the scenario runs on (`host.count`) and how instances are placed on them. */
export interface ClusterSpec {
  hosts: number;
  placement: Placement;
}

/** One service with every default resolved. */
export interface ServiceSpec {
  name: string;
  instances: number;
  app: AppSpec;
  image: ImageSpec;
  container: ContainerSpec;
  vm: VmSpec;
}

/** A validated scenario, ready for the model or a real backend. */
export interface Scenario {
  name: string;
  description: string;
  /** The file it was read from, as given by the user. */
  file: string;
  /** One host's spec; with `cluster`, every host of the cluster has it. */
  host: HostSpec;
  /** Absent: one host. */
  cluster?: ClusterSpec;
  cache: CacheState;
  /** Instances started at once (resolved: defaults to all). */
  concurrency: number;
  /** Instances requested one every `everyMs` (in service order); null: all at once. */
  arrival?: { everyMs: number } | null;
  /**
   * Container runtimes compared side by side (`container: { runtime: [a, b] }`, two or more): the
   * container platform is modeled and measured once per runtime, every service on it. Absent: one
   * runtime (each service's own). Services carry the first.
   */
  runtimes?: string[];
  services: ServiceSpec[];
  /** Sum of every service's instances. */
  totalInstances: number;
}
