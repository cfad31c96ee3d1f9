// The docker backend's measurements as a PlatformResult: the model's metric keys and breakdown shape,
// with provenance, samples and notes.

import type { BreakdownItem, PlatformResult, ResultState } from '../../../report/types.js';
import type { InstanceOutcome } from '../instances.js';
import { DECLARED_STARTUP_NOTE } from '../repetitions.js';
import { startupSummary } from '../startup.js';
import { containerMemory, containerMetrics, perFileItems } from '../container-metrics.js';
import { meanOfMeasured } from '../stats.js';
import type { EngineInfo } from './engine.js';
import type { ReadyImage } from '../docker-images.js';
import type { ContainerMeasure, DaemonMeasure } from './measure.js';

export interface DockerMeasurements {
  info: EngineInfo;
  /** The model profile of what ran, e.g. "docker-runsc". */
  runtime: string;
  /** The OCI runtime the containers ran on and its version (null when not readable here). */
  ociRuntime?: { name: string; version: string | null };
  /** Which engine served the API (default docker; podman through its compatible service). */
  backend?: 'docker' | 'podman';
  scale: number;
  instancesRequested: number;
  instancesMeasured: number;
  repetitions: number;
  images: ReadyImage[];
  /** The measured batches' instance outcomes. */
  batches: InstanceOutcome[][];
  /** The apps slept their declared startup (else it was added to each start). */
  slept: boolean;
  containers: ContainerMeasure[];
  daemon: DaemonMeasure | null;
  state: ResultState;
  error?: string;
  notes: string[];
}

/** A unique engine layer: its chain position makes it unique (Docker shares a layer only with the same parents). */
export interface UniqueLayer {
  chainKey: string;
  label: string;
  bytes: number;
}

/** The distinct layers of these images (a layer is shared when its DiffID and all its parents match). Pure. */
export function uniqueLayers(images: readonly ReadyImage[]): UniqueLayer[] {
  const seen = new Map<string, UniqueLayer>();
  for (const image of images) {
    let chain = '';
    image.layers.diffIds.forEach((diffId, index) => {
      chain = `${chain}/${diffId}`;
      if (seen.has(chain)) return;
      const planned = image.plan?.layers[index];
      const label = planned === undefined ? `${image.ref} layer ${index + 1}` : `layer ${planned.id}${planned.added ? ' (added by isobench)' : ''}`;
      seen.set(chain, { chainKey: chain, label, bytes: image.layers.layerBytes[index] ?? 0 });
    });
  }
  return [...seen.values()];
}

/** The docker backend's startup phases, in the order InstanceOutcome.phases holds them. */
export function dockerPhases(slept: boolean, backend: 'docker' | 'podman' = 'docker') {
  const podman = backend === 'podman';
  return [
    { label: 'create', note: podman ? 'create request (libpod: config, its database, rootfs in containers/storage)' : 'create request (daemon: config, rootfs snapshot)' },
    {
      label: 'attach',
      note: podman
        ? 'attach to output before start: Podman initialises the container here (conmon spawned, crun create), which Docker does in start'
        : "attach to output before start (the suite's own step, as docker run does)",
    },
    { label: 'start', note: podman ? 'start request (crun start: the initialised container runs)' : 'start request (shim, runc create and start, cgroups)' },
    { label: 'app', note: slept ? 'start returned to ready marker (exec, app memory, app startup slept)' : 'start returned to ready marker (exec, app memory), plus the declared app startup' },
  ];
}

/** How the notes name the engine's parts: Docker's daemons and shim, or Podman's service and conmon. */
function engineWords(backend: 'docker' | 'podman') {
  return backend === 'podman'
    ? { engine: 'Podman', shim: 'conmon', daemon: 'the `podman system service` process (Podman has no daemon; this one serves the compatible API)', daemonShort: 'the podman service' }
    : { engine: 'Docker', shim: 'containerd shim', daemon: 'dockerd + containerd', daemonShort: 'dockerd and containerd' };
}

/**
 * What Podman's compatible path changes in the figures, measured here (Podman 4.3.1, 2026-12-02):
 * layer sizes are the layers' uncompressed tar streams, and each writable layer holds Podman's own
 * /etc/mtab symlink (12 bytes) and empty mount points.
 */
export const PODMAN_DISK_NOTES = [
  "disk shared: Podman reports each layer's size as its uncompressed tar stream (file headers and padding included: a 3 MiB one-file layer counts 5 KiB more than Docker's sum of its files)",
  'disk per instance: Podman puts its own files in every writable layer (an /etc/mtab symlink, 12 bytes, and empty /etc/hosts, /etc/hostname, /run/.containerenv): SizeRw is 12 bytes more than what the app wrote',
];

/** Builds the result; a metric the run could not measure is null, with a note saying why. Pure. */
export function dockerResult(m: DockerMeasurements): PlatformResult {
  const backend = m.backend ?? 'docker';
  const words = engineWords(backend);
  const startup = startupSummary(m.batches, dockerPhases(m.slept, backend));
  const layers = uniqueLayers(m.images);
  const diskShared = layers.reduce((sum, layer) => sum + layer.bytes, 0);
  const measured = m.containers.length > 0;
  const memories = m.containers.map(containerMemory);
  const { metrics, stats } = containerMetrics(startup, {
    memory: memories.map((c) => c.perInstance),
    unique: memories.map((c) => c.unique),
    disk: m.containers.map((c) => c.sizeRwBytes),
    memorySharedBytes: m.daemon?.pssBytes ?? null,
    diskSharedBytes: diskShared,
  });
  const unmeasured = [
    ...(measured && m.containers.some((c) => c.shimPssBytes === null) ? [`memory per instance: not measured (null): the ${words.shim} is not visible from here (remote engine or VM)`] : []),
    ...(measured && m.containers.some((c) => c.cliBytes === null && c.processPssBytes === null)
      ? ['memory per instance: not measured (null): the daemon reported no cgroup usage or inactive file figure']
      : []),
    ...(measured && m.containers.some((c) => c.cliBytes === null && c.processPssBytes !== null)
      ? ['memory breakdown: the cgroup figures (CLI figure, anonymous, page cache) are missing: the engine reported no memory.stat and its cgroup was not readable here']
      : []),
    ...(measured && m.containers.some((c) => c.memoryStatFrom === 'cgroupfs')
      ? [`memory breakdown: ${words.engine}'s stats API reported usage and limit only; memory.stat was read from the container's cgroup on this host`]
      : []),
    ...(metrics.memorySharedBytes === null ? [`memory shared: not measured (null): ${words.daemonShort} ${backend === 'podman' ? 'is' : 'are'} not visible from here`] : []),
    ...(measured && metrics.diskPerInstanceBytes === null ? ['disk per instance: not measured (null): the engine reported no writable-layer size (SizeRw)'] : []),
    ...(!measured ? ['memory and disk per instance: not measured (null): no container was ready in the last batch'] : []),
  ];
  const notes = [
    `engine: ${words.engine} ${m.info.engineVersion} (API ${m.info.apiVersion}, pinned ${m.info.pinnedApiVersion}), ${m.info.storageDriver}` +
      `${m.info.containerdImageStore ? ' on the containerd image store' : ''}, cgroup v${m.info.cgroupVersion}, kernel ${m.info.kernel}, runtime ${m.ociRuntime === undefined ? m.info.defaultRuntime : `${m.ociRuntime.name} (${m.ociRuntime.version ?? 'version not readable here'})`}`,
    ...(m.info.engineInVm ? [`containers run inside a VM (${m.info.operatingSystem}): container figures include that VM's costs and skew a container-vs-VM comparison`] : []),
    `startup: each figure is the mean over ${m.repetitions} measured batch${m.repetitions === 1 ? '' : 'es'} (after warm-up) of that batch's figure (first, all, p50 and p99 of its starts, interpolated between ranks)`,
    ...(m.slept ? [] : [DECLARED_STARTUP_NOTE]),
    `memory: per container the PSS of its processes plus its ${words.shim}'s (the CLI figure, cgroup usage minus inactive file cache, where its processes are not visible here; both are in the breakdown); unique: their USS; shared: ${words.daemon} PSS; shared page cache is not measured separately`,
    'disk: shared = distinct image layers on the engine (DiffID chains, as the engine stores them); per instance = writable layer (SizeRw) after the writes',
    ...(backend === 'podman' ? PODMAN_DISK_NOTES : []),
    ...unmeasured,
    ...m.images.flatMap((image) => image.plan?.notes ?? []),
    ...m.notes,
  ];
  return {
    platform: 'container',
    backend,
    state: m.state,
    ...(m.error === undefined ? {} : { error: m.error }),
    profile: m.runtime,
    provenance: {
      kind: 'measured',
      engine: backend,
      engineVersion: m.info.engineVersion,
      ...(m.ociRuntime === undefined ? {} : { runtime: m.ociRuntime.name, runtimeVersion: m.ociRuntime.version }),
      scale: m.scale,
      instancesMeasured: m.instancesMeasured,
      instancesRequested: m.instancesRequested,
      repetitions: m.repetitions,
    },
    metrics,
    breakdown: {
      startup: startup.breakdown,
      memory: memoryBreakdown(m, words),
      disk: diskBreakdown(m, layers),
      capacity: [],
    },
    stats,
    timeline: startup.timeline,
    notes,
  };
}

function memoryBreakdown(m: DockerMeasurements, words: ReturnType<typeof engineWords>): BreakdownItem[] {
  const items: BreakdownItem[] = [];
  if (m.daemon !== null) {
    items.push({ label: 'daemon', value: m.daemon.pssBytes, unit: 'bytes', note: `shared once: PSS of ${m.daemon.processes.join(', ')} (RSS ${m.daemon.rssBytes})` });
  }
  if (m.containers.length === 0) return items;
  const c = m.containers;
  const cli = meanOfMeasured(c.map((x) => x.cliBytes));
  const pss = meanOfMeasured(c.map((x) => x.processPssBytes));
  const cgroupNote = `Docker CLI figure: cgroup usage ${Math.round(meanOfMeasured(c.map((x) => x.usageBytes)) ?? Number.NaN)} minus inactive file ${Math.round(meanOfMeasured(c.map((x) => x.inactiveFileBytes)) ?? Number.NaN)}`;
  const children = (
    [
      ['cgroup: Docker CLI figure', cli, 'cgroup usage minus inactive file (what docker stats shows)'],
      ['cgroup: anonymous', meanOfMeasured(c.map((x) => x.anonBytes)), 'cgroup total_rss / anon'],
      ['cgroup: page cache', meanOfMeasured(c.map((x) => x.cacheBytes)), 'cgroup total_cache / file (includes files written)'],
      ['unique (USS)', meanOfMeasured(c.map((x) => x.processUssBytes)), "Private_Clean + Private_Dirty of the container's processes"],
    ] as const
  ).flatMap(([label, value, note]): BreakdownItem[] => (value === null ? [] : [{ label, value, unit: 'bytes', note }]));
  if (pss !== null) {
    items.push({ label: 'app', value: pss, unit: 'bytes', note: `per instance: PSS of the container's processes from /proc/PID/smaps_rollup (mean of ${c.length}); ${cgroupNote}`, children });
  } else if (cli !== null) {
    items.push({ label: 'app', value: cli, unit: 'bytes', note: `per instance, ${cgroupNote} (mean of ${c.length}): the container's processes are not visible here`, children });
  }
  const shim = meanOfMeasured(c.map((x) => x.shimPssBytes));
  if (shim !== null) {
    items.push({ label: 'shim', value: shim, unit: 'bytes', note: `per instance: PSS of its ${words.shim} (RSS ${Math.round(meanOfMeasured(c.map((x) => x.shimRssBytes)) ?? Number.NaN)})` });
  }
  return items;
}

function diskBreakdown(m: DockerMeasurements, layers: UniqueLayer[]): BreakdownItem[] {
  const items: BreakdownItem[] = [
    {
      label: 'layers',
      value: layers.reduce((sum, layer) => sum + layer.bytes, 0),
      unit: 'bytes',
      note: 'shared once: distinct layers of the images used, as the engine stores them',
      children: layers.map((layer) => ({ label: layer.label, value: layer.bytes, unit: 'bytes' })),
    },
  ];
  if (m.containers.length === 0) return items;
  const sizeRw = meanOfMeasured(m.containers.map((c) => c.sizeRwBytes));
  if (sizeRw === null) return items;
  items.push({
    label: 'per-file copy-up',
    value: sizeRw,
    unit: 'bytes',
    note: `per instance: writable layer (SizeRw) after the writes, mean of ${m.containers.length}`,
    children: perFileItems(m.containers),
  });
  return items;
}
