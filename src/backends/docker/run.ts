// A whole docker run of one scenario: reap leftovers, build images, warm-up and measured batches,
// measure memory and disk in the last batch, remove every container.

import { EngineError, InterruptedError } from '../../errors.js';
import type { PlatformResult } from '../../report/types.js';
import { scenarioAsRun } from '../../scenario/as-run.js';
import type { Scenario, ServiceSpec } from '../../scenario/types.js';
import type { RealRunOptions } from '../types.js';
import { abortable, interruption, throwIfAborted } from '../host/abort.js';
import { appScript } from '../host/app-script.js';
import { describeFailures } from '../host/instances.js';
import { withDeadline, type AppEvent } from '../host/markers.js';
import { addRepetition, type StartupSamples } from '../host/measured-result.js';
import { listProcesses } from '../host/proc.js';
import type { BatchRun } from './batch.js';
import { runBatch } from './batch.js';
import type { ContainerSpec, DockerEngine, EngineInfo } from './engine.js';
import { ensureImages, type ReadyImage } from './images.js';
import { measureContainer, measureDaemon, type ContainerMeasure, type DaemonMeasure } from './measure.js';
import { ownerLabels, reapLeftovers, removeRunContainers, RUN_LABEL } from './reap.js';
import { dockerResult } from './result.js';
import { withPartial } from './partial.js';

/** Knobs for tests and calibration; the defaults are what `--real docker` uses. */
export interface DockerRunConfig {
  /** Memory limit = app memory + this margin (a negative margin provokes an OOM kill in tests). */
  memoryMarginBytes: number;
  pidsLimit: number;
}

export const DEFAULT_DOCKER_RUN_CONFIG: DockerRunConfig = { memoryMarginBytes: 32 * 1024 ** 2, pidsLimit: 64 };

/** Runs `scenario` (sizes as given; instances capped at options.maxInstances) on the engine. */
export async function runDocker(
  engine: DockerEngine,
  info: EngineInfo,
  scenarioAsGiven: Scenario,
  options: RealRunOptions,
  config: DockerRunConfig,
): Promise<PlatformResult> {
  const { scenario, notes: asRunNotes } = scenarioAsRun(scenarioAsGiven, { scale: 1, maxInstances: options.maxInstances });
  const { signal, cleanup, progress } = options;
  throwIfAborted(signal);
  const reaped = await reapLeftovers(engine, options.runId);
  if (reaped > 0) progress(`docker: removed ${reaped} container(s) left by an earlier run`);
  // Safety net: whatever carries this run's label goes at cleanup, even if created while interrupted.
  cleanup.defer(`remove containers labelled ${RUN_LABEL}=${options.runId}`, async () => {
    await removeRunContainers(engine, options.runId);
  });

  const samples: StartupSamples = {
    firstReadyMs: [],
    allReadyMs: [],
    instanceMs: [],
    phases: [
      { label: 'create', note: 'create request (daemon: config, rootfs snapshot)', samples: [] },
      { label: 'attach', note: 'attach to output before start (the suite\'s own step, as docker run does)', samples: [] },
      { label: 'start', note: 'start request (shim, runc create and start, cgroups)', samples: [] },
      { label: 'app', note: 'start returned to ready marker (exec, app memory, app startup)', samples: [] },
    ],
  };
  const progressState = {
    images: [] as ReadyImage[],
    containers: [] as ContainerMeasure[],
    daemon: null as DaemonMeasure | null,
    repetitions: 0,
    notes: [...asRunNotes, ...runtimeNotes(scenario, info)],
  };
  const build = async (state: PlatformResult['state'], error?: string): Promise<PlatformResult> =>
    dockerResult({
      info,
      runtime: runtimeProfile(info),
      scale: options.scale,
      instancesRequested: scenarioAsGiven.totalInstances,
      instancesMeasured: scenario.totalInstances,
      repetitions: progressState.repetitions,
      images: progressState.images,
      startup: samples,
      containers: progressState.containers,
      daemon: progressState.daemon,
      state,
      ...(error === undefined ? {} : { error }),
      notes: progressState.notes,
    });

  try {
    progressState.images = await ensureImages(engine, scenario.services, signal, progress);
    await leaseImages(engine, progressState.images, options);
    const instances = scenario.services.flatMap((service) => {
      const image = progressState.images.find((i) => i.service === service.name)!;
      const spec = containerSpec(service, image.ref, options.runId, config, image.plan !== undefined);
      return Array.from({ length: service.instances }, () => ({ service: service.name, spec }));
    });
    const total = options.warmup + options.repetitions;
    const failures: string[] = [];
    for (let rep = 0; rep < total; rep += 1) {
      throwIfAborted(signal);
      const measuredRep = rep >= options.warmup;
      const last = rep === total - 1;
      progress(`docker: ${measuredRep ? `batch ${rep - options.warmup + 1}/${options.repetitions}` : `warm-up ${rep + 1}/${options.warmup}`} of ${instances.length} container(s)`);
      const batch = await runBatch(
        { engine, cleanup, signal, timeoutMs: options.instanceTimeoutMs },
        { instances, concurrency: scenario.concurrency, stopOnFailure: options.onInstanceFailure === 'stop' },
      );
      try {
        const engineFailure = batch.outcomes.find((o) => o.state === 'failed' && o.reason === 'engine-error');
        if (engineFailure?.state === 'failed') throw new EngineError(engineFailure.message);
        if (measuredRep) {
          addRepetition(samples, batch.outcomes, batch.firstReadyMs, batch.allReadyMs);
          progressState.repetitions += 1;
          failures.push(...describeFailures(batch.outcomes).map((text) => `batch ${rep - options.warmup + 1}: ${text}`));
        }
        if (last) await measureBatch(engine, info, scenario.services, batch, options, progressState);
      } finally {
        await Promise.all(batch.started.map((s) => s.remove()));
      }
      if (failures.length > 0 && options.onInstanceFailure === 'stop') break;
    }
    if (failures.length > 0) return await build('partial', failures.join('; '));
    return await build('completed');
  } catch (error) {
    if (error instanceof InterruptedError) throw error;
    if (signal.aborted) throw interruption(signal);
    if (error instanceof EngineError) {
      const completed = progressState.repetitions;
      progressState.notes.push(`stopped after ${completed} of ${options.repetitions} measured batch(es): ${error.message}`);
      throw withPartial(error, await build(completed > 0 ? 'partial' : 'failed', error.message).catch(() => undefined));
    }
    throw error;
  }
}

/** Waits for the app's writes, then measures memory and disk of every ready container. */
async function measureBatch(
  engine: DockerEngine,
  info: EngineInfo,
  services: readonly ServiceSpec[],
  batch: BatchRun,
  options: RealRunOptions,
  state: { containers: ContainerMeasure[]; daemon: DaemonMeasure | null; notes: string[] },
): Promise<void> {
  const ready = batch.started.filter((s) => s.outcome.state === 'ready');
  const done = await abortable(Promise.all(ready.map((s) => withDeadline<AppEvent | { kind: 'timeout' }>(s.done, options.instanceTimeoutMs, () => ({ kind: 'timeout' })))), options.signal);
  const notDone = done.filter((event) => event.kind !== 'done').length;
  if (notDone > 0) state.notes.push(`${notDone} container(s) did not finish their writes in time; their disk figures may be low`);
  throwIfAborted(options.signal);
  options.progress(`docker: measuring memory and disk of ${ready.length} container(s)`);
  const processes = info.local ? await listProcesses() : [];
  for (const started of ready) {
    throwIfAborted(options.signal);
    const outcome = started.outcome;
    if (outcome.state !== 'ready') continue;
    const service = services.find((s) => s.name === outcome.service)!;
    state.containers.push(await measureContainer(engine, outcome.id, outcome.service, service.app.files, info.local, processes));
  }
  state.daemon = info.local ? await measureDaemon(processes) : null;
}

/**
 * Holds each image for the run with a created, never started container: the engine refuses to remove
 * an image a container uses, so a concurrent `isobench clean` leaves this run's images alone.
 */
async function leaseImages(engine: DockerEngine, images: readonly ReadyImage[], options: RealRunOptions): Promise<void> {
  for (const ref of new Set(images.map((image) => image.ref))) {
    const id = await engine.createContainer({
      image: ref,
      command: ['/bin/true'],
      labels: { isobench: '1', [RUN_LABEL]: options.runId, ...ownerLabels(), 'isobench.lease': '1' },
      memoryLimitBytes: 6 * 1024 ** 2,
      pidsLimit: 1,
      shmBytes: 1024 ** 2,
    });
    options.cleanup.defer(`remove image lease ${id.slice(0, 12)}`, () => engine.removeContainer(id));
  }
}

/** The container settings for one service's instances. */
export function containerSpec(service: ServiceSpec, image: string, runId: string, config: DockerRunConfig, builtImage: boolean): ContainerSpec {
  const busybox = builtImage ? '/bin/busybox' : '';
  return {
    image,
    command: [builtImage ? '/bin/busybox' : '/bin/sh', ...(builtImage ? ['sh'] : []), '-c', appScript(service.app, { busybox, scratchDir: '/dev/shm', rootDir: '' })],
    labels: { isobench: '1', [RUN_LABEL]: runId, ...ownerLabels(), 'isobench.service': service.name },
    memoryLimitBytes: Math.max(6 * 1024 ** 2, service.app.memoryBytes + config.memoryMarginBytes),
    pidsLimit: config.pidsLimit,
    shmBytes: 1024 ** 2,
  };
}

/** Says when the scenario names another runtime than the one this engine has (the model should use the engine's). */
function runtimeNotes(scenario: Scenario, info: EngineInfo): string[] {
  const measured = runtimeProfile(info);
  const asked = [...new Set(scenario.services.map((s) => s.container.runtime))].filter((r) => r !== measured);
  return asked.length === 0 ? [] : [`the scenario names ${asked.join(', ')}; measured on Docker with ${info.defaultRuntime} (model profile ${measured})`];
}

/** The model profile this engine corresponds to (Docker's default runtime). */
export function runtimeProfile(info: EngineInfo): string {
  return info.defaultRuntime === 'crun' ? 'crun' : 'docker-runc';
}
