// The containerd backend's measurements as a PlatformResult: the same metric keys, breakdown shape and
// startup statistics as the docker backend's (shared/startup.ts, shared/stats.ts, shared layers).

import type { BreakdownItem, PlatformResult, ResultState } from '../../report/types.js';
import type { ReadyImage } from '../shared/docker-images.js';
import { uniqueLayers } from '../shared/docker-api/result.js';
import type { InstanceOutcome } from '../shared/instances.js';
import { DECLARED_STARTUP_NOTE } from '../shared/repetitions.js';
import { startupSummary } from '../shared/startup.js';
import { containerMemory, containerMetrics, perFileItems } from '../shared/container-metrics.js';
import { meanOfMeasured } from '../shared/stats.js';
import type { ContainerdMeasure } from './measure.js';

export interface ContainerdMeasurements {
  containerdVersion: string;
  runcVersion: string | null;
  /** How isobench reached containerd, e.g. "own containerd (socket /tmp/...)". */
  path: string;
  /** Median wall time of one `ctr version` call: the cost of the ctr path in each create and each start. */
  ctrCallMs: number | null;
  scale: number;
  instances: number;
  images: ReadyImage[];
  batches: InstanceOutcome[][];
  slept: boolean;
  containers: ContainerdMeasure[];
  /** Apparent bytes per read-only layer dir (from the containers' overlay mounts). */
  layerDirBytes: Map<string, number>;
  daemon: { pssBytes: number; rssBytes: number } | null;
  state: ResultState;
  error?: string;
  notes: string[];
}

/** The phases InstanceOutcome.phases holds, in order. */
export function containerdPhases(slept: boolean) {
  return [
    { label: 'create', note: 'ctr containers create (ctr process, rootfs snapshot, container metadata)' },
    { label: 'start', note: 'ctr tasks start --detach (ctr process, shim, runc create and start, cgroups)' },
    { label: 'app', note: slept ? 'start returned to ready marker (exec, app memory, app startup slept)' : 'start returned to ready marker (exec, app memory), plus the declared app startup' },
  ];
}

/** The distinct layers with their bytes: measured in the snapshot dirs where a container showed them, else the layer tar's size. Pure. */
export function measuredLayers(images: readonly ReadyImage[], containers: readonly ContainerdMeasure[], dirBytes: ReadonlyMap<string, number>) {
  const byChain = new Map<string, number>();
  for (const container of containers) {
    const image = images.find((i) => i.service === container.service);
    if (image === undefined) continue;
    // overlayfs lists the top layer first; the image lists the bottom one first.
    const bottomFirst = [...container.lowerDirs].reverse();
    let chain = '';
    image.layers.diffIds.forEach((diffId, index) => {
      chain = `${chain}/${diffId}`;
      const bytes = dirBytes.get(bottomFirst[index] ?? '');
      if (bytes !== undefined && bottomFirst.length === image.layers.diffIds.length) byChain.set(chain, bytes);
    });
  }
  const layers = uniqueLayers(images).map((layer) => ({ ...layer, measured: byChain.has(layer.chainKey), bytes: byChain.get(layer.chainKey) ?? layer.bytes }));
  return layers;
}

/** Builds the result; a metric the run could not measure is null, with a note saying why. Pure. */
export function containerdResult(m: ContainerdMeasurements): PlatformResult {
  const startup = startupSummary(m.batches, containerdPhases(m.slept));
  const layers = measuredLayers(m.images, m.containers, m.layerDirBytes);
  const diskShared = layers.reduce((sum, layer) => sum + layer.bytes, 0);
  const measured = m.containers.length > 0;
  // containerd has no cgroup CLI figure: a container's memory is its processes' and its shim's.
  const memories = m.containers.map((c) => containerMemory({ ...c, cliBytes: null }));
  const { metrics, stats } = containerMetrics(startup, {
    memory: memories.map((c) => c.perInstance),
    unique: memories.map((c) => c.unique),
    disk: m.containers.map((c) => c.upperBytes),
    memorySharedBytes: m.daemon?.pssBytes ?? null,
    diskSharedBytes: diskShared,
  });
  const notes = [
    `engine: containerd ${m.containerdVersion} through ctr, no dockerd (${m.path}), overlayfs snapshotter, runtime io.containerd.runc.v2 with runc (${m.runcVersion ?? 'version not readable here'})`,
    m.ctrCallMs === null
      ? 'path cost: the time of one ctr call was not measured'
      : `path cost: each create and each start is one ctr process (a Go client dialling containerd's socket); one \`ctr version\` takes ${m.ctrCallMs.toFixed(1)} ms here (median), so about ${(2 * m.ctrCallMs).toFixed(0)} ms of each measured start is the ctr path itself, which a gRPC client inside a long-running engine (nerdctl as a library, the kubelet's CRI) does not pay; in a burst these ctr processes compete for CPU with the starts themselves, and the model's containerd-runc profile has no such cost`,
    `startup: each figure is the mean over ${m.batches.length} measured batch${m.batches.length === 1 ? '' : 'es'} (after warm-up) of that batch's figure (first, all, p50 and p99 of its starts, interpolated between ranks)`,
    ...(m.slept ? [] : [DECLARED_STARTUP_NOTE]),
    "memory: per container the PSS of its processes plus its shim's (containerd-shim-runc-v2), from /proc/PID/smaps_rollup, as the docker backend counts them; unique: their USS; shared: containerd's own PSS",
    "disk: shared = distinct read-only layers (snapshot dirs, apparent bytes of their files); per instance = the overlay upper dir after the writes, apparent bytes of its files, each inode once (the definition of Docker's SizeRw); `ctr snapshots usage` (disk blocks) is in the breakdown",
    "limits: memory limit as the docker backend sets it; no pids limit (ctr has no flag for one); no network (ctr's default: a network namespace with only lo); every default capability dropped",
    ...(measured && metrics.memoryPerInstanceBytes === null ? ["memory per instance: not measured (null): a container's processes or its shim are not visible in this host's /proc"] : []),
    ...(metrics.memorySharedBytes === null ? ["memory shared: not measured (null): containerd's process is not isobench's own here"] : []),
    ...(measured && metrics.diskPerInstanceBytes === null ? ["disk per instance: not measured (null): a container's overlay upper dir was not found in its mountinfo"] : []),
    ...(layers.some((layer) => !layer.measured) ? ['disk shared: some layers are counted by their tar size in the content store (their snapshot dirs were not seen)'] : []),
    ...(!measured ? ['memory and disk per instance: not measured (null): no container was ready in the last batch'] : []),
    ...m.images.flatMap((image) => image.plan?.notes ?? []),
    ...m.notes,
  ];
  return {
    platform: 'container',
    backend: 'containerd',
    state: m.state,
    ...(m.error === undefined ? {} : { error: m.error }),
    profile: 'containerd-runc',
    provenance: {
      kind: 'measured',
      engine: 'containerd',
      engineVersion: m.containerdVersion,
      runtime: 'runc',
      runtimeVersion: m.runcVersion,
      scale: m.scale,
      instancesMeasured: m.instances,
      instancesRequested: m.instances,
      repetitions: m.batches.length,
    },
    metrics,
    breakdown: {
      startup: startup.breakdown,
      memory: memoryBreakdown(m),
      disk: diskBreakdown(m, layers),
      capacity: [],
    },
    stats,
    timeline: startup.timeline,
    notes,
  };
}

function memoryBreakdown(m: ContainerdMeasurements): BreakdownItem[] {
  const items: BreakdownItem[] = [];
  if (m.daemon !== null) items.push({ label: 'daemon', value: m.daemon.pssBytes, unit: 'bytes', note: `shared once: PSS of containerd (RSS ${m.daemon.rssBytes})` });
  const c = m.containers;
  const pss = meanOfMeasured(c.map((x) => x.processPssBytes));
  if (c.length > 0 && pss !== null) {
    const uss = meanOfMeasured(c.map((x) => x.processUssBytes));
    items.push({
      label: 'app',
      value: pss,
      unit: 'bytes',
      note: `per instance: PSS of the container's processes from /proc/PID/smaps_rollup (mean of ${c.length}); USS ${Math.round(uss ?? Number.NaN)}`,
    });
  }
  const shim = meanOfMeasured(c.map((x) => x.shimPssBytes));
  if (c.length > 0 && shim !== null) {
    items.push({ label: 'shim', value: shim, unit: 'bytes', note: `per instance: PSS of its containerd-shim-runc-v2 (RSS ${Math.round(meanOfMeasured(c.map((x) => x.shimRssBytes)) ?? Number.NaN)})` });
  }
  return items;
}

function diskBreakdown(m: ContainerdMeasurements, layers: ReturnType<typeof measuredLayers>): BreakdownItem[] {
  const items: BreakdownItem[] = [
    {
      label: 'layers',
      value: layers.reduce((sum, layer) => sum + layer.bytes, 0),
      unit: 'bytes',
      note: 'shared once: distinct layers of the images used, as containerd unpacked them',
      children: layers.map((layer) => ({ label: layer.label, value: layer.bytes, unit: 'bytes', ...(layer.measured ? {} : { note: 'tar size in the content store' }) })),
    },
  ];
  const upper = meanOfMeasured(m.containers.map((c) => c.upperBytes));
  if (m.containers.length === 0 || upper === null) return items;
  const usage = meanOfMeasured(m.containers.map((c) => c.snapshotUsageBytes));
  items.push({
    label: 'per-file copy-up',
    value: upper,
    unit: 'bytes',
    note: `per instance: the overlay upper dir after the writes, apparent bytes, mean of ${m.containers.length}${usage === null ? '' : `; ctr snapshots usage (disk blocks) ${Math.round(usage)}`}`,
    children: perFileItems(m.containers),
  });
  return items;
}
