// The one report format: every backend produces it, every renderer reads it. JSON-serialisable.

import type { CacheState, ClusterSpec, HostSpec } from '../scenario/types.js';

export const SCHEMA_VERSION = 1 as const;

/** The metric keys, in the order renderers show them (one explicit array, never object key order). */
export const METRIC_KEYS = [
  'startupFirstMs',
  'startupAllMs',
  'startupP50Ms',
  'startupP99Ms',
  'memorySharedBytes',
  'memoryPerInstanceBytes',
  'memoryUniqueBytes',
  'memoryTotalBytes',
  'diskSharedBytes',
  'diskPerInstanceBytes',
  'diskTotalBytes',
  'maxInstances',
  'hostsNeeded',
] as const;

export type MetricKey = (typeof METRIC_KEYS)[number];

/** The unit a metric key carries in its name. */
export function metricUnit(key: MetricKey): 'ms' | 'bytes' | 'count' {
  if (key.endsWith('Ms')) return 'ms';
  if (key.endsWith('Bytes')) return 'bytes';
  return 'count';
}

/** Metrics with nothing measured yet: every key null. */
export function emptyMetrics(): Metrics {
  return Object.fromEntries(METRIC_KEYS.map((key) => [key, null])) as Metrics;
}

/** Every metric known: what the model produces (hostsNeeded is null when one instance alone does not fit a host). */
export type ModelMetrics = Record<Exclude<MetricKey, 'hostsNeeded'>, number> & { hostsNeeded: number | null };

/** A metric a backend could not measure is null, never a made-up number. */
export type Metrics = Record<MetricKey, number | null>;

export const PLATFORMS = ['process', 'container', 'vm'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Who produced a result; 'mock' is the test backend (synthetic, offered only under ISOBENCH_MOCK_BACKEND=1). */
export type Backend = 'model' | 'docker' | 'swarm' | 'podman' | 'containerd' | 'host' | 'qemu' | 'mock';

export type Accelerator = 'kvm' | 'tcg';

/** Where a number came from: a model profile, or a measurement on a named engine. */
export type Provenance =
  | {
      kind: 'modeled';
      /** Profile name, e.g. "docker-runc" or "qemu-kvm". */
      profile: string;
      /** "built-in" or the path of the host profile file given with --profile. */
      profileSource: string;
    }
  | {
      kind: 'measured';
      engine: string;
      engineVersion: string | null;
      /** QEMU only: TCG is software emulation and never stands for KVM. */
      accelerator?: Accelerator;
      /** Container engines: the OCI runtime that ran the containers (runc, crun, runsc) and its version. */
      runtime?: string;
      runtimeVersion?: string | null;
      /** Image and write sizes were multiplied by this (--real-scale). */
      scale: number;
      /** Instances actually run (after --real-max-instances). */
      instancesMeasured: number;
      instancesRequested: number;
      repetitions: number;
    };

/** One line of an explanation: a named part of a figure, possibly split further. */
export interface BreakdownItem {
  label: string;
  value: number;
  unit: 'ms' | 'bytes' | 'count';
  /** Where the value comes from or how it was computed. */
  note?: string;
  children?: BreakdownItem[];
}

export interface Breakdown {
  startup: BreakdownItem[];
  memory: BreakdownItem[];
  disk: BreakdownItem[];
  capacity: BreakdownItem[];
}

/** Statistics of a measured metric's raw samples. */
export interface SampleStats {
  samples: number[];
  mean: number;
  p50: number;
  p99: number;
  /** Relative margin of error (fraction, 95% confidence), as tinybench reports it. */
  rme: number;
}

export type ResultState = 'completed' | 'partial' | 'failed';

/** Whether the scenario's instances fit on its host, and what limits them. */
export interface Fit {
  fits: boolean;
  /** The resource that runs out first when not everything fits; null when everything fits. */
  limitedBy: 'memory' | 'disk' | null;
  instancesThatFit: number;
  /** A cluster (host.count > 1): each host's share, in host order. */
  hosts?: HostFit[];
}

/** One host of a cluster: its instances, whether they fit, and what it uses at its peak. */
export interface HostFit {
  instances: number;
  fits: boolean;
  limitedBy: 'memory' | 'disk' | null;
  /** Shared costs on this host + its instances alive at the peak. */
  memoryBytes: number;
  diskBytes: number;
}

/** What a startup phase waits on: a CPU, the daemon's serialised section, disk or network bandwidth, or nothing. */
export type PhaseResource = 'cpu' | 'serial' | 'disk' | 'network' | 'latency';

/** One phase of one instance's startup on the timeline, in ms from the run's start command. */
export interface TimelinePhase {
  label: string;
  startMs: number;
  endMs: number;
  resource?: PhaseResource;
}

/** One instance's startup: when it was requested, each phase, and when it was ready (null: never). */
export interface InstanceTimeline {
  service: string;
  /** 0-based index of the instance within its service. */
  index: number;
  /** A cluster: the 0-based host it ran on. */
  host?: number;
  requestedMs: number;
  readyMs: number | null;
  phases: TimelinePhase[];
}

export interface PlatformResult {
  platform: Platform;
  backend: Backend;
  state: ResultState;
  /** Why a result is partial or failed. */
  error?: string;
  profile: string;
  provenance: Provenance;
  metrics: Metrics;
  /** Model results: whether the instances fit on the host (instances that do not are not started). */
  fit?: Fit;
  breakdown: Breakdown;
  /** Per-instance startup timeline (model and real runs), for Gantt charts and shape comparisons. */
  timeline?: InstanceTimeline[];
  /** Measured results: raw samples and spread per metric. */
  stats?: Partial<Record<MetricKey, SampleStats>>;
  /** Caps, scales and other things a reader must know. */
  notes?: string[];
  /**
   * Set only on a model result evaluated on the scenario as a real backend ran it (sizes scaled,
   * instances capped, this machine's CPUs and memory): the model figure held against that
   * measurement. Model results without it describe the scenario as written.
   */
  asRun?: AsRun;
  /**
   * Set only when the scenario compares container runtimes: which one this container result is
   * (model and measured alike), e.g. "docker-runsc". Part of the result's key.
   */
  runtime?: string;
}

/** How the scenario a real backend ran differs from the scenario as written. */
export interface AsRun {
  /** --real-scale applied to layer, image and file sizes. */
  scale: number;
  instances: number;
  instancesRequested: number;
  /** The host the as-run model describes, e.g. "this machine: 2 cpus, 24 GiB". */
  host: string;
}

export interface ScenarioReport {
  name: string;
  file: string;
  description: string;
  totalInstances: number;
  concurrency: number;
  cache: CacheState;
  host: HostSpec;
  /** Identical hosts and placement; absent in reports written before clusters (one host). */
  cluster?: ClusterSpec;
  services: { name: string; instances: number }[];
  results: PlatformResult[];
}

/** What ran the suite: compared before two reports are. */
export interface Environment {
  node: string;
  os: string;
  arch: string;
  kernel: string;
  cpus: number;
  memoryBytes: number;
  /** Kernel same-page merging running on this machine (/sys/kernel/mm/ksm/run = 1). */
  ksm?: boolean;
  /** Per engine used (docker, qemu): version, storage driver, accelerator ... */
  engines: Record<string, Record<string, string | number | boolean | null>>;
}

/** A sweep (`--sweep KEY=V1,V2,...`): one scenario evaluated at each value of one field. */
export interface SweepReport {
  /** The scenario as written, e.g. "small-web-app". */
  scenario: string;
  /** The swept field as given, e.g. "instances", "vm.memory", "host.cpus". */
  key: string;
  /** The values as given, in order, e.g. ["1", "10", "100", "1000"] or ["512MiB", "1GiB"]. */
  values: string[];
  /** The report's scenario entry of each value, in the same order: "NAME@KEY=VALUE". */
  points: string[];
}

export interface Report {
  schemaVersion: typeof SCHEMA_VERSION;
  tool: { name: 'isobench'; version: string };
  runId: string;
  createdAt: string;
  /** True when the run stopped early; `notes` says what completed. */
  partial: boolean;
  environment: Environment;
  scenarios: ScenarioReport[];
  /** Sweeps linking their points among `scenarios` (absent when the run swept nothing). */
  sweeps?: SweepReport[];
  notes: string[];
}
