// The docker backend's measurements as a PlatformResult: the model's metric keys and breakdown shape,
// with provenance, samples and notes.

import type { BreakdownItem, Metrics, PlatformResult, ResultState } from '../../report/types.js';
import { mean, startupPart, type StartupSamples } from '../host/measured-result.js';
import { sampleStats } from '../host/sample-stats.js';
import type { EngineInfo } from './engine.js';
import type { ReadyImage } from './images.js';
import type { ContainerMeasure, DaemonMeasure } from './measure.js';

export interface DockerMeasurements {
  info: EngineInfo;
  runtime: string;
  scale: number;
  instancesRequested: number;
  instancesMeasured: number;
  repetitions: number;
  images: ReadyImage[];
  startup: StartupSamples;
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

/** Builds the result; metrics the run could not measure are null. */
export async function dockerResult(m: DockerMeasurements): Promise<PlatformResult> {
  const startup = await startupPart(m.startup);
  const layers = uniqueLayers(m.images);
  const diskShared = layers.reduce((sum, layer) => sum + layer.bytes, 0);
  const measured = m.containers.length > 0;
  const shimKnown = m.containers.every((c) => c.shimPssBytes !== null);
  const perContainerMemory = m.containers.map((c) => c.cliBytes + (c.shimPssBytes ?? 0));
  const memoryShared = m.daemon?.pssBytes ?? null;
  const sizeRw = m.containers.map((c) => c.sizeRwBytes);
  const metrics: Metrics = {
    startupFirstMs: startup.metrics.startupFirstMs ?? null,
    startupAllMs: startup.metrics.startupAllMs ?? null,
    startupP50Ms: startup.metrics.startupP50Ms ?? null,
    startupP99Ms: startup.metrics.startupP99Ms ?? null,
    memorySharedBytes: memoryShared,
    memoryPerInstanceBytes: measured ? mean(perContainerMemory) : null,
    memoryTotalBytes: measured && memoryShared !== null ? memoryShared + perContainerMemory.reduce((a, b) => a + b, 0) : null,
    diskSharedBytes: diskShared,
    diskPerInstanceBytes: measured ? mean(sizeRw) : null,
    diskTotalBytes: measured ? diskShared + sizeRw.reduce((a, b) => a + b, 0) : null,
    maxInstances: null,
    hostsNeeded: null,
  };
  const stats = { ...startup.stats };
  if (measured) {
    stats.memoryPerInstanceBytes = await sampleStats(perContainerMemory);
    stats.diskPerInstanceBytes = await sampleStats(sizeRw);
  }
  const notes = [
    `engine: Docker ${m.info.engineVersion} (API ${m.info.apiVersion}, pinned ${m.info.pinnedApiVersion}), ${m.info.storageDriver}` +
      `${m.info.containerdImageStore ? ' on the containerd image store' : ''}, cgroup v${m.info.cgroupVersion}, kernel ${m.info.kernel}, runtime ${m.info.defaultRuntime}`,
    ...(m.info.engineInVm ? [`containers run inside a VM (${m.info.operatingSystem}): container figures include that VM's costs and skew a container-vs-VM comparison`] : []),
    `startup metrics are means over ${m.repetitions} measured batch${m.repetitions === 1 ? '' : 'es'} (after warm-up); p50/p99 over every instance start; stats by tinybench`,
    'memory: per container the Docker CLI figure (cgroup usage minus inactive file cache) plus its shim\'s PSS; shared: dockerd + containerd PSS; shared page cache is not measured separately',
    'disk: shared = distinct image layers on the engine (DiffID chains, as the engine stores them); per instance = writable layer (SizeRw) after the writes',
    ...(shimKnown ? [] : ['shim memory not visible from here (remote engine or VM): counted as 0']),
    ...m.images.flatMap((image) => image.plan?.notes ?? []),
    ...m.notes,
  ];
  return {
    platform: 'container',
    backend: 'docker',
    state: m.state,
    ...(m.error === undefined ? {} : { error: m.error }),
    profile: m.runtime,
    provenance: {
      kind: 'measured',
      engine: 'docker',
      engineVersion: m.info.engineVersion,
      scale: m.scale,
      instancesMeasured: m.instancesMeasured,
      instancesRequested: m.instancesRequested,
      repetitions: m.repetitions,
    },
    metrics,
    breakdown: {
      startup: startup.breakdown,
      memory: memoryBreakdown(m),
      disk: diskBreakdown(m, layers),
      capacity: [],
    },
    stats,
    notes,
  };
}

function memoryBreakdown(m: DockerMeasurements): BreakdownItem[] {
  const items: BreakdownItem[] = [];
  if (m.daemon !== null) {
    items.push({ label: 'daemon', value: m.daemon.pssBytes, unit: 'bytes', note: `shared once: PSS of ${m.daemon.processes.join(', ')} (RSS ${m.daemon.rssBytes})` });
  }
  if (m.containers.length === 0) return items;
  const c = m.containers;
  items.push({
    label: 'app',
    value: mean(c.map((x) => x.cliBytes)),
    unit: 'bytes',
    note: `per instance, Docker CLI figure: cgroup usage ${Math.round(mean(c.map((x) => x.usageBytes)))} minus inactive file ${Math.round(mean(c.map((x) => x.inactiveFileBytes)))} (mean of ${c.length})`,
    children: [
      { label: 'anonymous', value: mean(c.map((x) => x.anonBytes)), unit: 'bytes', note: 'cgroup total_rss / anon' },
      { label: 'page cache', value: mean(c.map((x) => x.cacheBytes)), unit: 'bytes', note: 'cgroup total_cache / file (includes files written)' },
    ],
  });
  if (c.every((x) => x.shimPssBytes !== null)) {
    items.push({
      label: 'shim',
      value: mean(c.map((x) => x.shimPssBytes ?? 0)),
      unit: 'bytes',
      note: `per instance: PSS of its containerd-shim (RSS ${Math.round(mean(c.map((x) => x.shimRssBytes ?? 0)))})`,
    });
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
  const byFile = new Map<string, { mode: string; values: number[] }>();
  for (const container of m.containers) {
    for (const file of container.files) {
      if (file.upperBytes === null) continue;
      const key = `${container.service} ${file.path}`;
      const entry = byFile.get(key) ?? { mode: file.mode, values: [] };
      entry.values.push(file.upperBytes);
      byFile.set(key, entry);
    }
  }
  items.push({
    label: 'per-file copy-up',
    value: mean(m.containers.map((c) => c.sizeRwBytes)),
    unit: 'bytes',
    note: `per instance: writable layer (SizeRw) after the writes, mean of ${m.containers.length}`,
    children: [...byFile.entries()].map(([key, entry]) => ({
      label: `${entry.mode} ${key}`,
      value: mean(entry.values),
      unit: 'bytes',
      note: entry.mode === 'modify' || entry.mode === 'append' ? 'whole file copied up, then written' : 'bytes in the writable layer',
    })),
  });
  return items;
}
