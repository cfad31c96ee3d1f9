// A whole containerd run of one scenario: reap what killed runs left, start an own containerd, import
// the images (before anything is timed), the shared repetition driver over batches of containers,
// memory and disk in the last batch, then everything deleted and the daemon stopped.

import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EngineError } from '../../errors.js';
import type { PlatformResult } from '../../report/types.js';
import type { Scenario, ServiceSpec } from '../../scenario/types.js';
import { abortable, interruption, throwIfAborted } from '../shared/abort.js';
import { ensureImages, type ReadyImage } from '../shared/docker-images.js';
import { containerSpec, DEFAULT_DOCKER_RUN_CONFIG } from '../shared/docker-api/run.js';
import type { InstanceOutcome, StartedInstance } from '../shared/instances.js';
import { withDeadline, type AppEvent } from '../shared/markers.js';
import { runtimeVersion } from '../shared/oci-runtime.js';
import { listProcesses } from '../shared/proc.js';
import { runRepetitions } from '../shared/repetitions.js';
import { median } from '../shared/stats.js';
import { waves } from '../shared/waves.js';
import type { RealRunOptions, RunOutcome } from '../types.js';
import { CTR, type Ctr } from './ctr.js';
import { killStrayShims, removeFolder, removeNamespaceCgroups, startOwnDaemon, type OwnDaemon } from './daemon.js';
import { EventWatch } from './events.js';
import { ctrImageEngine } from './images.js';
import { startInstance, type InstanceSpec } from './instance.js';
import { daemonMemory, layerBytes, measureInstance, type ContainerdMeasure } from './measure.js';
import { normalizeRef, parseTasks } from './parse.js';
import { deleteEverything, reapFolders, teardownFolder } from './reap.js';
import { containerdResult } from './result.js';

const exec = promisify(execFile);

/** Runs `scenario` (already scaled and capped) on an own containerd. */
export async function runContainerd(scenario: Scenario, options: RealRunOptions): Promise<RunOutcome> {
  const { signal, cleanup, progress } = options;
  throwIfAborted(signal);
  const reaped = await reapFolders({ includeLive: false });
  if (reaped.folders > 0) progress(`containerd: removed ${reaped.folders} containerd folder(s) and ${reaped.containers} container(s) left by an earlier run`);
  let daemon: OwnDaemon;
  try {
    daemon = await startOwnDaemon((dir) => cleanup.defer(`remove ${dir}`, () => removeFolder(dir)));
  } catch (error) {
    if (error instanceof EngineError && !signal.aborted) return { state: 'failed', error };
    throw error;
  }
  const { ctr } = daemon;
  // Newest first at cleanup: everything in it deleted, the daemon stopped, stray shims killed. A
  // daemon that died meanwhile is started again on its folder, so its tasks are deleted through it
  // (runc state, cgroups and mounts go with them) rather than left behind by killed shims.
  cleanup.defer(`stop containerd ${daemon.pid}`, async () => {
    if (daemon.gone() !== null) {
      await teardownFolder(daemon.dir);
      return;
    }
    await deleteEverything(ctr).catch(() => undefined);
    await daemon.stop();
    await killStrayShims(daemon.dir);
    await removeNamespaceCgroups();
  });
  progress(`containerd: own containerd ${daemon.version} (pid ${daemon.pid}) at ${ctr.address}`);
  const events = EventWatch.start(ctr);
  cleanup.defer('stop ctr events', () => events.stop());
  const logDir = join(daemon.dir, 'logs');
  await mkdir(logDir);
  const slept = options.appStartup === 'sleep';
  const state = {
    images: [] as ReadyImage[],
    containers: [] as ContainerdMeasure[],
    layerDirBytes: new Map<string, number>(),
    daemonMemory: null as { pssBytes: number; rssBytes: number } | null,
    notes: runtimeNotes(scenario),
  };
  const [runcVersion, ctrCallMs] = await Promise.all([runtimeVersion('runc'), ctrCallTime(ctr)]);
  const build = (batches: InstanceOutcome[][], resultState: PlatformResult['state'], error?: string): PlatformResult =>
    containerdResult({
      containerdVersion: daemon.version,
      runcVersion,
      path: `own containerd started by isobench, socket ${ctr.address}`,
      ctrCallMs,
      scale: options.scale,
      instances: scenario.totalInstances,
      images: state.images,
      batches,
      slept,
      containers: state.containers,
      layerDirBytes: state.layerDirBytes,
      daemon: state.daemonMemory,
      state: resultState,
      ...(error === undefined ? {} : { error }),
      notes: state.notes,
    });
  try {
    state.images = await ensureImages(ctrImageEngine(ctr), scenario.services, signal, progress, 'containerd');
  } catch (error) {
    if (error instanceof EngineError && !signal.aborted) return { state: 'failed', error, result: build([], 'failed', error.message) };
    throw error;
  }
  const instances = scenario.services.flatMap((service) => {
    const image = state.images.find((i) => i.service === service.name)!;
    const docker = containerSpec(slept ? service : { ...service, app: { ...service.app, startupMs: 0 } }, image.ref, options.runId, DEFAULT_DOCKER_RUN_CONFIG, image.plan !== undefined);
    const spec: InstanceSpec = { image: normalizeRef(image.ref), command: docker.command, labels: docker.labels, memoryLimitBytes: docker.memoryLimitBytes };
    return Array.from({ length: service.instances }, () => ({ service: service.name, spec }));
  });
  const idPrefix = `isobench-${options.runId.replace(/[^A-Za-z0-9]+/g, '-')}`;
  const repetitions = await runRepetitions<null>({
    backend: 'containerd',
    instances: instances.length,
    options,
    ...(slept ? {} : { declaredStartupMs: (name: string) => scenario.services.find((s) => s.name === name)?.app.startupMs ?? 0 }),
    runBatch: async ({ index, last }) => {
      const started: StartedInstance[] = [];
      try {
        const batchStart = performance.now();
        for (const [wave, members] of waves(instances.length, scenario.concurrency).entries()) {
          const settled = await Promise.allSettled(
            members.map((i) =>
              startInstance(
                { ctr, events, cleanup, signal, timeoutMs: options.instanceTimeoutMs, logDir, batchStart, wave },
                instances[i]!.spec,
                `${idPrefix}-b${index}-i${i}`,
                i,
                instances[i]!.service,
              ),
            ),
          );
          for (const result of settled) if (result.status === 'fulfilled') started.push(result.value);
          const rejected = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
          if (rejected !== undefined) throw signal.aborted ? interruption(signal) : rejected.reason;
          const engineFailure = started.find((s) => s.outcome.state === 'failed' && s.outcome.reason === 'engine-error');
          if (engineFailure?.outcome.state === 'failed') throw new EngineError(engineFailure.outcome.message);
          if (options.onInstanceFailure === 'stop' && started.some((s) => s.outcome.state === 'failed')) break;
        }
        if (last) await measureBatch(ctr, daemon, scenario.services, started, options, state);
        return { outcomes: started.map((s) => s.outcome), extra: null };
      } finally {
        await Promise.all(started.map((s) => s.remove().catch(() => undefined)));
      }
    },
  });
  const batches = repetitions.batches.map((b) => b.outcomes);
  if (repetitions.engineError !== undefined) {
    const error = repetitions.engineError;
    state.notes.push(`stopped after ${batches.length} of ${options.repetitions} measured batch(es): ${error.message}`);
    if (batches.length === 0) return { state: 'failed', error, result: build(batches, 'failed', error.message) };
    return { state: 'partial', result: build(batches, 'partial', error.message), error };
  }
  const failures = repetitions.failures;
  return { state: 'completed', result: build(batches, failures.length > 0 ? 'partial' : 'completed', failures.length > 0 ? failures.join('; ') : undefined) };
}

/** Waits for the app's writes, then measures memory and disk of every ready container. */
async function measureBatch(
  ctr: Ctr,
  daemon: OwnDaemon,
  services: readonly ServiceSpec[],
  started: readonly StartedInstance[],
  options: RealRunOptions,
  state: { containers: ContainerdMeasure[]; layerDirBytes: Map<string, number>; daemonMemory: { pssBytes: number; rssBytes: number } | null; notes: string[] },
): Promise<void> {
  const ready = started.filter((s) => s.outcome.state === 'ready');
  const done = await abortable(Promise.all(ready.map((s) => withDeadline<AppEvent | { kind: 'timeout' }>(s.done, options.instanceTimeoutMs, () => ({ kind: 'timeout' })))), options.signal);
  const notDone = done.filter((event) => event.kind !== 'done').length;
  if (notDone > 0) state.notes.push(`${notDone} container(s) did not finish their writes in time; their disk figures may be low`);
  throwIfAborted(options.signal);
  options.progress(`containerd: measuring memory and disk of ${ready.length} container(s)`);
  const pids = new Map(parseTasks(await ctr.run('list tasks', ['tasks', 'ls'])).map((task) => [task.id, task.pid]));
  const processes = await listProcesses();
  const measured = await abortable(
    Promise.all(
      ready.flatMap((s) => {
        const outcome = s.outcome;
        if (outcome.state !== 'ready') return [];
        const service = services.find((x) => x.name === outcome.service)!;
        return [measureInstance(ctr, outcome.id, pids.get(outcome.id) ?? 0, outcome.service, service.app.files, processes)];
      }),
    ),
    options.signal,
  );
  state.containers.push(...measured);
  state.layerDirBytes = await layerBytes(measured);
  state.daemonMemory = await daemonMemory(daemon.pid);
}

/** Median wall time of five `ctr version` calls: what the ctr path itself costs per call. */
async function ctrCallTime(ctr: Ctr): Promise<number | null> {
  const times: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    const t0 = performance.now();
    try {
      await exec(CTR, ctr.args(['version']), { timeout: 5_000 });
    } catch {
      return null;
    }
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** A note when the scenario names runtimes other than containerd's runc (they all ran on runc here). */
function runtimeNotes(scenario: Scenario): string[] {
  const asked = [...new Set(scenario.services.map((s) => s.container.runtime))].filter((r) => r !== 'containerd-runc');
  return asked.length === 0 ? [] : [`the scenario names ${asked.join(', ')}; measured on containerd with runc (model profile containerd-runc)`];
}
