// The swarm backend's measurements as a PlatformResult (platform container, backend swarm): startup
// per task and for the whole rollout from the engine's timestamps, memory and disk of the task
// containers where this machine can see them, null with a note where not.

import type { BreakdownItem, PlatformResult, ResultState } from '../../report/types.js';
import type { ReadyImage } from '../shared/docker-images.js';
import type { InstanceOutcome } from '../shared/instances.js';
import { DECLARED_STARTUP_NOTE } from '../shared/repetitions.js';
import { startupSummary } from '../shared/startup.js';
import { containerMemory, containerMetrics, type ContainerMemoryReading } from '../shared/container-metrics.js';
import type { SwarmMode } from './mode.js';

/** One task container measured after its writes: its memory as any container's (the shim is containerd's). */
export interface TaskMeasure extends ContainerMemoryReading {
  service: string;
  /** The swarm node it ran on. */
  node: string;
  sizeRwBytes: number | null;
}

/** A node the run deployed on (nodes.ts). */
export interface NodeFacts {
  id: string;
  endpoint: string;
  manager: boolean;
  local: boolean;
}

export interface SwarmMeasurements {
  mode: SwarmMode;
  /** The manager first; more than one when ISOBENCH_SWARM_NODES reached other nodes. */
  nodes: NodeFacts[];
  /** Swarm placed the tasks over `nodes` (false: pinned to the manager). */
  spread: boolean;
  network: 'overlay' | 'none';
  /** Per measured batch: ready tasks per node id. */
  placements: Record<string, number>[];
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

/** Label of the measured result's capacity item holding the nodes that ran tasks (read by modelAsRun). */
export const NODES_USED = 'swarm nodes used';
/** Label of the item holding how many of them are daemons on this machine. */
export const NODES_HERE = 'swarm nodes on this machine';

/** The nodes that ran at least one ready task in any measured batch, in node order. Pure. */
export function nodesUsed(nodes: readonly NodeFacts[], placements: readonly Record<string, number>[]): NodeFacts[] {
  return nodes.filter((n) => placements.some((p) => (p[n.id] ?? 0) > 0));
}

/** "node abc (manager) 2, node def 2" for one batch. Pure. */
function placementLine(nodes: readonly NodeFacts[], placement: Record<string, number>): string {
  return nodes.map((n) => `${n.id.slice(0, 12)}${n.manager ? ' (manager)' : ''}: ${placement[n.id] ?? 0}`).join(', ');
}

/** Where the tasks ran: nodes used (with ready tasks per node, last batch) and how many run here. Pure. */
function placementItems(m: SwarmMeasurements, used: readonly NodeFacts[]): BreakdownItem[] {
  const last = m.placements.at(-1) ?? {};
  return [
    {
      label: NODES_USED,
      value: used.length,
      unit: 'count',
      note: m.spread ? 'nodes that ran at least one ready task (Swarm placed them: spread)' : 'every task pinned to the manager',
      children: used.map((n) => ({
        label: `node ${n.id.slice(0, 12)}${n.manager ? ' (manager)' : ''}`,
        value: last[n.id] ?? 0,
        unit: 'count' as const,
        note: `ready tasks in the last batch (${n.endpoint})`,
      })),
    },
    { label: NODES_HERE, value: used.filter((n) => n.local).length, unit: 'count', note: 'of them, Docker daemons on this machine (one kernel: they share its CPUs, memory and disk)' },
  ];
}

/** Builds the result. Pure. */
export function swarmResult(m: SwarmMeasurements): PlatformResult {
  const startup = startupSummary(m.batches, SWARM_PHASES(m.slept));
  const measured = m.tasks.length > 0;
  // A task's memory as --real docker measures a container's (the CLI figure where its processes are hidden).
  const memories = m.tasks.map(containerMemory);
  const fromCgroup = memories.filter((t) => t.from === 'cgroup').length;
  const used = nodesUsed(m.nodes, m.placements);
  // Every node the images were loaded on holds their layers (all of them, whatever it ran).
  const holders = m.spread ? m.nodes.length : 1;
  const diskShared = layerBytes(m.images) * holders;
  const { metrics, stats } = containerMetrics(startup, {
    memory: memories.map((t) => t.perInstance),
    unique: memories.map((t) => t.unique),
    disk: m.tasks.map((t) => t.sizeRwBytes),
    memorySharedBytes: m.daemonPssBytes,
    diskSharedBytes: diskShared,
  });
  const info = m.mode.info;
  const notes = [
    `engine: Docker ${info.engineVersion} (API ${info.apiVersion}) in swarm mode, ${m.mode.initialised ? 'a single-node swarm isobench initialised on 127.0.0.1 and left afterwards' : `the engine's existing swarm (${info.nodes ?? '?'} node(s), ${info.managers ?? '?'} manager(s))`}, runtime ${info.defaultRuntime}, kernel ${info.kernel}`,
    "startup: per task, from the service create request (this machine's clock) through the task's engine timestamps (created, running) to the ready line's log timestamp; \"all ready\" is the whole rollout: the first service create request until every task printed ready" +
      `; each figure is the mean over ${m.batches.length} measured batch${m.batches.length === 1 ? '' : 'es'}`,
    m.network === 'overlay'
      ? 'tasks run on a per-run internal overlay network (Swarm services cannot use network none): tasks of one run can reach each other, nothing outside'
      : m.nodes.filter((n) => n.local).length >= 2
        ? "tasks run without a network (loopback only: the nodes' daemons run with --bridge=none): an overlay between Docker daemons that share one kernel fails (each creates the network's VXLAN device in the same namespace: \"error creating vxlan interface: file exists\"), so Swarm's overlay cost is not in these figures"
        : "tasks run without a network (ISOBENCH_SWARM_NETWORK=none; loopback only: the daemon runs with --bridge=none), so Swarm's overlay cost is not in these figures",
    ...(m.spread
      ? [
          `nodes: ${used.length} of the ${m.nodes.length} reachable node(s) ran tasks; ready tasks per node, ${m.placements.length === 1 ? 'measured batch' : 'per measured batch'}: ${m.placements.map((p) => placementLine(m.nodes, p)).join('; ')}`,
          ...(used.filter((n) => n.local).length >= 2
            ? [`${used.filter((n) => n.local).length} of the nodes are Docker daemons on this one machine: they share its CPUs, memory and disk (the model gives each host its own)`]
            : []),
        ]
      : []),
    ...(m.slept ? [] : [DECLARED_STARTUP_NOTE]),
    `memory: per task the PSS of its container's processes plus its shim's, as --real docker measures a container${fromCgroup > 0 ? ` (for ${fromCgroup} task(s) whose processes are not visible here: the Docker CLI figure, cgroup usage minus inactive file cache, plus the shim; unique memory then not measured)` : ''}; unique: their USS; shared: dockerd + containerd PSS (swarm's manager and agent run inside dockerd)${used.length > 1 ? `, of each of the ${used.length} nodes that ran tasks` : ''}`,
    m.spread
      ? `disk: shared = distinct image layers x ${holders} nodes (every service's image loaded on every node, no registry); per instance = the task container's writable layer (SizeRw) after the writes`
      : "disk: shared = distinct image layers (loaded locally, no registry); per instance = the task container's writable layer (SizeRw) after the writes",
    ...(measured && metrics.memoryPerInstanceBytes === null ? ['memory per instance: not measured (null): the cgroup figure or the shim was not visible from here'] : []),
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
    breakdown: { startup: startup.breakdown, memory: [], disk: [], capacity: placementItems(m, used) },
    stats,
    timeline: startup.timeline,
    notes,
  };
}
