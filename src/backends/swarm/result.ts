// The swarm backend's measurements as a PlatformResult (platform container, backend swarm): startup
// per task and for the whole rollout from the engine's timestamps, memory and disk of the task
// containers where this machine can see them, null with a note where not.

import type { Metrics, PlatformResult, ResultState } from '../../report/types.js';
import type { ReadyImage } from '../shared/docker-images.js';
import type { InstanceOutcome } from '../shared/instances.js';
import { DECLARED_STARTUP_NOTE } from '../shared/repetitions.js';
import { startupSummary } from '../shared/startup.js';
import { meanOfMeasured, sampleStats, sumOfMeasured } from '../shared/stats.js';
import type { SwarmMode } from './mode.js';

/** One task container measured after its writes. */
export interface TaskMeasure {
  service: string;
  /** cgroup usage minus inactive file (the Docker CLI figure); null when not reported. */
  cliBytes: number | null;
  /** PSS of the containerd shim serving it; null when not visible here. */
  shimPssBytes: number | null;
  sizeRwBytes: number | null;
}

export interface SwarmMeasurements {
  mode: SwarmMode;
  scale: number;
  instances: number;
  batches: InstanceOutcome[][];
  slept: boolean;
  images: ReadyImage[];
  tasks: TaskMeasure[];
  daemonPssBytes: number | null;
  local: boolean;
  state: ResultState;
  error?: string;
  notes: string[];
}

export const SWARM_PHASES = (slept: boolean) => [
  { label: 'orchestrate', note: 'service create request to the task created by the orchestrator (task CreatedAt)' },
  { label: 'to running', note: 'task created to task running (allocate, assign, prepare, start: engine timestamps)' },
  {
    label: 'app',
    note: slept ? 'task running to the ready marker in its log (exec, app memory, app startup slept)' : 'task running to the ready marker in its log (exec, app memory), plus the declared app startup',
  },
];

/** Distinct layers of the images (a layer is shared when its DiffID and all its parents match). Pure. */
export function layerBytes(images: readonly ReadyImage[]): number {
  const seen = new Map<string, number>();
  for (const image of images) {
    let chain = '';
    image.layers.diffIds.forEach((diffId, index) => {
      chain = `${chain}/${diffId}`;
      if (!seen.has(chain)) seen.set(chain, image.layers.layerBytes[index] ?? 0);
    });
  }
  return [...seen.values()].reduce((sum, bytes) => sum + bytes, 0);
}

/** Builds the result. Pure. */
export function swarmResult(m: SwarmMeasurements): PlatformResult {
  const startup = startupSummary(m.batches, SWARM_PHASES(m.slept));
  const measured = m.tasks.length > 0;
  const perTask = m.tasks.map((t) => (t.cliBytes === null || t.shimPssBytes === null ? null : t.cliBytes + t.shimPssBytes));
  const memoryPerInstance = measured ? meanOfMeasured(perTask) : null;
  const memoryAll = measured ? sumOfMeasured(perTask) : null;
  const sizeRw = m.tasks.map((t) => t.sizeRwBytes);
  const diskPerInstance = measured ? meanOfMeasured(sizeRw) : null;
  const diskAll = measured ? sumOfMeasured(sizeRw) : null;
  const diskShared = layerBytes(m.images);
  const metrics: Metrics = {
    ...startup.metrics,
    memorySharedBytes: m.daemonPssBytes,
    memoryPerInstanceBytes: memoryPerInstance,
    // Tasks are measured through the cgroup (the Docker CLI figure): it does not tell private pages from shared ones.
    memoryUniqueBytes: null,
    memoryTotalBytes: m.daemonPssBytes !== null && memoryAll !== null ? m.daemonPssBytes + memoryAll : null,
    diskSharedBytes: diskShared,
    diskPerInstanceBytes: diskPerInstance,
    diskTotalBytes: diskAll === null ? null : diskShared + diskAll,
    maxInstances: null,
    hostsNeeded: null,
  };
  const stats = { ...startup.stats };
  if (memoryPerInstance !== null) stats.memoryPerInstanceBytes = sampleStats(perTask as number[]);
  if (diskPerInstance !== null) stats.diskPerInstanceBytes = sampleStats(sizeRw as number[]);
  const info = m.mode.info;
  const notes = [
    `engine: Docker ${info.engineVersion} (API ${info.apiVersion}) in swarm mode, ${m.mode.initialised ? 'a single-node swarm isobench initialised on 127.0.0.1 and left afterwards' : `the engine's existing swarm (${info.nodes ?? '?'} node(s), ${info.managers ?? '?'} manager(s))`}, runtime ${info.defaultRuntime}, kernel ${info.kernel}`,
    "startup: per task, from the service create request (this machine's clock) through the task's engine timestamps (created, running) to the ready line's log timestamp; \"all ready\" is the whole rollout: the first service create request until every task printed ready" +
      `; each figure is the mean over ${m.batches.length} measured batch${m.batches.length === 1 ? '' : 'es'}`,
    'tasks run on a per-run internal overlay network (Swarm services cannot use network none): tasks of one run can reach each other, nothing outside',
    ...(m.slept ? [] : [DECLARED_STARTUP_NOTE]),
    "memory: per task the Docker CLI figure (cgroup usage minus inactive file cache) plus its shim's PSS (--real docker takes the PSS of the container's processes instead: the two differ by kernel memory and page cache charged to the cgroup); shared: dockerd + containerd PSS (swarm's manager and agent run inside dockerd)",
    'memory unique per instance: not measured (null): the cgroup figure does not tell private pages from shared ones',
    "disk: shared = distinct image layers (loaded locally, no registry); per instance = the task container's writable layer (SizeRw) after the writes",
    ...(measured && memoryPerInstance === null ? ['memory per instance: not measured (null): the cgroup figure or the shim was not visible from here'] : []),
    ...(m.daemonPssBytes === null ? ['memory shared: not measured (null): dockerd and containerd are not visible from here'] : []),
    ...(!measured ? ['memory and disk per instance: not measured (null): no task was ready in the last batch'] : []),
    ...(m.local ? [] : ["the engine is not on this machine: engine timestamps and this machine's clock may differ, so the orchestrate phase may be off"]),
    ...m.images.flatMap((image) => image.plan?.notes ?? []),
    ...m.notes,
  ];
  return {
    platform: 'container',
    backend: 'swarm',
    state: m.state,
    ...(m.error === undefined ? {} : { error: m.error }),
    profile: 'docker-runc',
    provenance: {
      kind: 'measured',
      engine: 'docker-swarm',
      engineVersion: info.engineVersion,
      scale: m.scale,
      instancesMeasured: m.instances,
      instancesRequested: m.instances,
      repetitions: m.batches.length,
    },
    metrics,
    breakdown: { startup: startup.breakdown, memory: [], disk: [], capacity: [] },
    stats,
    timeline: startup.timeline,
    notes,
  };
}
