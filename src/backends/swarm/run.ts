// A whole swarm run of one scenario: swarm mode ensured (initialised and left again when the engine
// was inactive), the nodes chosen (the manager alone, or every node ISOBENCH_SWARM_NODES reaches:
// nodes.ts), images loaded on each before anything is timed, a per-run internal overlay network
// (none for nodes sharing this kernel), then per batch one Swarm service per scenario service
// (replicas = its instances) created together and followed until every task printed ready; memory
// and disk in the last batch; every service, task container and the network removed, and on
// several nodes the images this run loaded on each.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { EngineError } from '../../errors.js';
import type { Scenario, ServiceSpec } from '../../scenario/types.js';
import { abortable, throwIfAborted } from '../shared/abort.js';
import { appScript } from '../shared/app-script.js';
import { ensureImages, IMAGE_LABEL, type ReadyImage } from '../shared/docker-images.js';
import type { InstanceOutcome } from '../shared/instances.js';
import { withDeadline } from '../shared/markers.js';
import { containerProcessMemory, listProcesses, sumMemory, type ProcessStat } from '../shared/proc.js';
import { runRepetitions } from '../shared/repetitions.js';
import type { RealRunOptions, RunOutcome } from '../types.js';
import { daemonsOf, dockerdOf } from '../shared/docker-daemons.js';
import type { SwarmEngine } from './engine.js';
import { ownerAlive, RUN_LABEL, runLabels } from './labels.js';
import { ensureSwarm, type SwarmMode } from './mode.js';
import { type NodePlan, planNodes, type SwarmNode } from './nodes.js';
import { swarmResult, type TaskMeasure } from './result.js';
import { removeServices } from './services.js';
import { watchService, type SlotResult } from './watch.js';
import { IMAGE_FORK_APP } from '../shared/image-plan.js';

/** As the docker backend: memory limit = app memory + 32 MiB (at least 6 MiB), 64 pids. */
const MEMORY_MARGIN_BYTES = 32 * 1024 ** 2;
const PIDS_LIMIT = 64;

export async function runSwarm(engine: SwarmEngine, scenario: Scenario, options: RealRunOptions, env: NodeJS.ProcessEnv = process.env): Promise<RunOutcome> {
  const { signal, cleanup, progress } = options;
  throwIfAborted(signal);
  const slept = options.appStartup === 'sleep';
  const short = createHash('sha256').update(options.runId).digest('hex').slice(0, 10);
  let mode: SwarmMode;
  let plan: NodePlan;
  let images: ReadyImage[];
  let networkId: string | null = null;
  const localKernel = (await readFile('/proc/sys/kernel/osrelease', 'utf8').catch(() => '')).trim();
  try {
    mode = await ensureSwarm(engine, cleanup, progress);
    const reaped = await reapDeadRuns(engine, options.runId);
    if (reaped > 0) progress(`swarm: removed ${reaped} service(s) left by an earlier run`);
    plan = await planNodes(engine, mode, env, localKernel, progress);
    images = await loadImages(plan, scenario, options);
    throwIfAborted(signal);
    if (plan.network === 'overlay') {
      const id = await engine.createNetwork(`isobench-${short}`, runLabels(options.runId));
      networkId = id;
      cleanup.defer(`remove network isobench-${short}`, () => engine.removeNetwork(id));
    }
  } catch (error) {
    if (error instanceof EngineError && !signal.aborted) return { state: 'failed', error };
    throw error;
  }
  const nodeEngines = plan.nodes.map((n) => n.engine);
  // Safety net: every service of this run, even one created while interrupted.
  cleanup.defer(`remove services labelled ${RUN_LABEL}=${options.runId}`, async () => {
    await removeServices(
      engine,
      (await engine.listServices(`${RUN_LABEL}=${options.runId}`)).map((s) => s.id),
      nodeEngines,
    );
  });
  const local = plan.nodes[0]!.local;
  const state = { tasks: [] as TaskMeasure[], daemonPssBytes: null as number | null, notes: [] as string[] };
  if (scenario.concurrency < scenario.totalInstances) {
    state.notes.push(`concurrency: Swarm starts every replica of a service at once and all services were created together; the scenario's concurrency ${scenario.concurrency} was not applied`);
  }
  if (!mode.initialised) state.notes.push(`deployed into the engine's existing swarm (${mode.info.nodes ?? '?'} node(s))`);
  state.notes.push(...plan.notes);
  const engineOf = (nodeId: string): SwarmEngine | undefined => plan.nodes.find((n) => n.id === nodeId)?.engine;

  const repetitions = await runRepetitions<Record<string, number>>({
    backend: 'swarm',
    instances: scenario.totalInstances,
    options,
    ...(slept ? {} : { declaredStartupMs: (name: string) => scenario.services.find((s) => s.name === name)?.app.startupMs ?? 0 }),
    runBatch: async ({ index, last }) => {
      const created: string[] = [];
      const closers: (() => void)[] = [];
      try {
        const batchStart = Date.now();
        const deadline = performance.now() + options.instanceTimeoutMs;
        const watched = scenario.services.map(async (service, serviceIndex) => {
          const image = images.find((i) => i.service === service.name)!;
          const requestedAt = Date.now();
          const id = await engine.createService({
            name: `isobench-${short}-${index}-${serviceIndex}`,
            image: image.plan?.tag ?? image.ref,
            command: command(slept ? service : { ...service, app: { ...service.app, startupMs: 0 } }, image.plan !== undefined),
            replicas: service.instances,
            labels: { ...runLabels(options.runId), 'isobench.service': service.name },
            memoryLimitBytes: Math.max(6 * 1024 ** 2, service.app.memoryBytes + MEMORY_MARGIN_BYTES),
            pidsLimit: PIDS_LIMIT,
            networkId,
            constraints: plan.constraints,
          });
          created.push(id);
          const { slots, closeAll } = await watchService(engine, id, service.instances, deadline, signal, engineOf);
          closers.push(closeAll);
          return { service, requestedAt, slots };
        });
        const rollouts = await abortable(Promise.all(watched), signal);
        const outcomes = rollouts.flatMap((r) => r.slots.map((slot) => outcomeOf(slot, r.service.name, r.requestedAt, batchStart)));
        outcomes.forEach((o, i) => (o.index = i));
        if (last) await measureTasks(plan.nodes, rollouts, options, state);
        return { outcomes, extra: tasksPerNode(rollouts.flatMap((r) => r.slots)) };
      } finally {
        for (const close of closers) close();
        await removeServices(engine, created, nodeEngines);
      }
    },
  });
  const batches = repetitions.batches.map((b) => b.outcomes);
  const placements = repetitions.batches.map((b) => b.extra);
  const build = (resultState: 'completed' | 'partial' | 'failed', error?: string) =>
    swarmResult({
      mode,
      nodes: plan.nodes.map((n) => ({ id: n.id, endpoint: n.endpoint, manager: n.manager, local: n.local })),
      spread: plan.spread,
      network: plan.network,
      placements,
      scale: options.scale,
      instances: scenario.totalInstances,
      batches,
      slept,
      images,
      tasks: state.tasks,
      daemonPssBytes: state.daemonPssBytes,
      local,
      state: resultState,
      ...(error === undefined ? {} : { error }),
      notes: state.notes,
    });
  if (repetitions.engineError !== undefined) {
    const error = repetitions.engineError;
    state.notes.push(`stopped after ${batches.length} of ${options.repetitions} measured batch(es): ${error.message}`);
    if (batches.length === 0) return { state: 'failed', error, result: build('failed', error.message) };
    return { state: 'partial', result: build('partial', error.message), error };
  }
  const failures = repetitions.failures;
  return { state: 'completed', result: build(failures.length > 0 ? 'partial' : 'completed', failures.length > 0 ? failures.join('; ') : undefined) };
}

/** The app script as the task's command (the image's busybox, or the image's own sh for image.ref). */
function command(service: ServiceSpec, builtImage: boolean): string[] {
  const script = appScript(service.app, { busybox: builtImage ? '/bin/busybox' : '', scratchDir: '/dev/shm', rootDir: '', ...(service.app.fork === undefined ? {} : { forkApp: IMAGE_FORK_APP }) });
  return builtImage ? ['/bin/busybox', 'sh', '-c', script] : ['/bin/sh', '-c', script];
}

/** One slot as the shared outcome: phases from the engine's timestamps, from the service create request on. */
export function outcomeOf(slot: SlotResult, service: string, requestedAt: number, batchStart: number): InstanceOutcome {
  if (slot.state === 'failed') return { state: 'failed', index: 0, service, id: slot.containerId, reason: slot.reason, message: slot.message };
  return {
    state: 'ready',
    index: 0,
    service,
    id: slot.containerId,
    phases: { orchestrate: slot.createdAtMs - requestedAt, 'to running': slot.runningAtMs - slot.createdAtMs, app: slot.readyAtMs - slot.runningAtMs },
    requestedAtMs: requestedAt - batchStart,
    startupMs: slot.readyAtMs - requestedAt,
    readyAtMs: slot.readyAtMs - batchStart,
    wave: 0,
  };
}

/** Ready tasks per node id (Swarm's placement), in node order of first appearance. Pure. */
export function tasksPerNode(slots: readonly SlotResult[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const slot of slots) if (slot.state === 'ready') counts[slot.nodeId] = (counts[slot.nodeId] ?? 0) + 1;
  return counts;
}

/**
 * Makes sure every node has the images. The manager alone keeps them as a cache (as --real docker
 * does; `isobench clean` removes them); on several nodes, each node's images this run loaded are
 * removed at cleanup (the ones already there before it stay), registered before loading so an
 * interrupted load is removed too.
 */
async function loadImages(plan: NodePlan, scenario: Scenario, options: RealRunOptions): Promise<ReadyImage[]> {
  const { signal, cleanup, progress } = options;
  if (!plan.spread) return ensureImages(plan.nodes[0]!.engine, scenario.services, signal, progress, 'swarm');
  let first: ReadyImage[] | undefined;
  for (const node of plan.nodes) {
    const before = new Set((await node.engine.listImages(IMAGE_LABEL)).map((i) => i.id));
    cleanup.defer(`remove the images this run loaded on node ${node.id.slice(0, 12)}`, async () => {
      for (const image of await node.engine.listImages(IMAGE_LABEL)) if (!before.has(image.id)) await node.engine.removeImage(image.id);
    });
    progress(`swarm: images on node ${node.id.slice(0, 12)} (${node.endpoint})`);
    const ready = await ensureImages(node.engine, scenario.services, signal, progress, 'swarm');
    first ??= ready;
  }
  return first!;
}

/** The processes of the nodes' daemons on this machine, or null when a node's are not visible here. */
async function nodeDaemons(nodes: readonly SwarmNode[], processes: readonly ProcessStat[], notes: string[]): Promise<ProcessStat[] | null> {
  const daemons: ProcessStat[] = [];
  for (const node of nodes) {
    const dockerd = node.local && node.engine.location.kind === 'unix' ? await dockerdOf(node.engine.location.socketPath, processes) : undefined;
    if (dockerd === undefined) {
      notes.push(`memory shared: node ${node.id.slice(0, 12)}'s dockerd (${node.endpoint}) is not among this machine's processes`);
      return null;
    }
    daemons.push(...daemonsOf(dockerd, processes));
  }
  return [...new Map(daemons.map((d) => [d.pid, d])).values()];
}

/** Waits for the apps' writes, then measures each ready task's container (memory, writable layer, on its node's engine) and the daemons. */
async function measureTasks(
  nodes: readonly SwarmNode[],
  rollouts: readonly { service: ServiceSpec; slots: SlotResult[] }[],
  options: RealRunOptions,
  state: { tasks: TaskMeasure[]; daemonPssBytes: number | null; notes: string[] },
): Promise<void> {
  const ready = rollouts.flatMap((r) => r.slots.flatMap((slot) => (slot.state === 'ready' ? [{ service: r.service.name, slot }] : [])));
  const done = await abortable(Promise.all(ready.map(({ slot }) => withDeadline(slot.done, options.instanceTimeoutMs, () => undefined))), options.signal);
  const notDone = done.filter((m) => m?.kind !== 'done').length;
  if (notDone > 0) state.notes.push(`${notDone} task(s) did not finish their writes in time; their disk figures may be low`);
  options.progress(`swarm: measuring memory and disk of ${ready.length} task container(s)`);
  const processes = nodes.some((n) => n.local) ? await listProcesses() : [];
  const hidden = new Set<string>();
  const measured = await abortable(
    Promise.all(
      ready.map(async ({ service, slot }): Promise<TaskMeasure> => {
        const node = nodes.find((n) => n.id === slot.nodeId)!;
        const memory = await node.engine.memory(slot.containerId);
        const disk = await node.engine.sizeRw(slot.containerId);
        const cliBytes = memory.usageBytes === null || memory.inactiveFileBytes === null ? null : Math.max(0, memory.usageBytes - memory.inactiveFileBytes);
        if (!node.local) hidden.add(node.id);
        const own = node.local ? await containerProcessMemory(disk.pid, processes, (comm) => comm.startsWith('containerd-shim')) : null;
        return {
          service,
          node: node.id,
          cliBytes,
          shimPssBytes: own?.shimPssBytes ?? null,
          shimUssBytes: own?.shimUssBytes ?? null,
          processPssBytes: own?.processPssBytes ?? null,
          processUssBytes: own?.processUssBytes ?? null,
          sizeRwBytes: disk.sizeRwBytes,
        };
      }),
    ),
    options.signal,
  );
  for (const id of hidden) state.notes.push(`memory per task: node ${id.slice(0, 12)}'s processes are not visible from here (another machine or kernel): its tasks' shims not measured`);
  state.tasks.push(...measured);
  // Every node that ran a task pays its daemons (as every host of the model pays its shared costs).
  const used = nodes.filter((n) => measured.some((t) => t.node === n.id));
  const daemons = await nodeDaemons(used.length > 0 ? used : nodes.slice(0, 1), processes, state.notes);
  state.daemonPssBytes = daemons === null || daemons.length === 0 ? null : (await sumMemory(daemons.map((p) => p.pid))).pssBytes;
}

/** Removes services and networks of other runs whose process is gone; returns how many services. */
export async function reapDeadRuns(engine: SwarmEngine, currentRunId: string): Promise<number> {
  const dead = (await engine.listServices(RUN_LABEL)).filter((s) => s.labels[RUN_LABEL] !== currentRunId && !ownerAlive(s.labels));
  await removeServices(
    engine,
    dead.map((s) => s.id),
  );
  return dead.length;
}
