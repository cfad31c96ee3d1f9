// A whole docker run of one scenario: reap leftovers, build images (before anything is timed), the
// shared repetition driver over batches of containers, memory and disk in the last batch, every
// container removed.

import { EngineError } from '../../../errors.js';
import type { PlatformResult } from '../../../report/types.js';
import type { Scenario, ServiceSpec } from '../../../scenario/types.js';
import { abortable, throwIfAborted } from '../abort.js';
import { appScript } from '../app-script.js';
import { withDeadline, type AppEvent } from '../markers.js';
import { listProcesses } from '../proc.js';
import { chooseRuntime, runtimePidsExtra, runtimeVersion } from '../oci-runtime.js';
import { runRepetitions } from '../repetitions.js';
import type { RealRunOptions, RunOutcome } from '../../types.js';
import type { BatchRun } from './batch.js';
import { runBatch } from './batch.js';
import type { ContainerSpec, DockerEngine, EngineInfo } from './engine.js';
import { ensureImages, type ReadyImage } from '../docker-images.js';
import { engineDaemons, measureContainer, measureDaemon, type ContainerMeasure, type DaemonMeasure, type DaemonPicker } from './measure.js';
import { ownerLabels, reapLeftovers, removeRunContainers, RUN_LABEL } from './reap.js';
import { dockerResult } from './result.js';
import { IMAGE_FORK_APP } from '../image-plan.js';

/** Knobs for tests and calibration; the defaults are what `--real docker` uses. */
export interface DockerRunConfig {
  /** Memory limit = app memory + this margin (a negative margin provokes an OOM kill in tests). */
  memoryMarginBytes: number;
  pidsLimit: number;
  /** The engine behind the API ("docker", or "podman" through its compatible service): picks the scenario's runtime profiles. */
  engine: 'docker' | 'podman';
  /** HostConfig.Ulimits for every container (Podman's defaults exceed this sandbox's hard limits). */
  ulimits?: { Name: string; Soft: number; Hard: number }[];
  /** The engine's own processes for the shared memory figure (default dockerd + containerd). */
  daemonProcesses?: DaemonPicker;
}

export const DEFAULT_DOCKER_RUN_CONFIG: DockerRunConfig = { memoryMarginBytes: 32 * 1024 ** 2, pidsLimit: 64, engine: 'docker' };

/** Runs `scenario` (already scaled and capped) on the engine. */
export async function runDocker(engine: DockerEngine, info: EngineInfo, scenario: Scenario, options: RealRunOptions, config: DockerRunConfig): Promise<RunOutcome> {
  const { signal, cleanup, progress } = options;
  throwIfAborted(signal);
  const reaped = await reapLeftovers(engine, options.runId);
  if (reaped > 0) progress(`${config.engine}: removed ${reaped} container(s) left by an earlier run`);
  // Safety net: whatever carries this run's label goes at cleanup, even if created while interrupted.
  cleanup.defer(`remove containers labelled ${RUN_LABEL}=${options.runId}`, async () => {
    await removeRunContainers(engine, options.runId);
  });
  const slept = options.appStartup === 'sleep';
  const choice = chooseRuntime(
    scenario,
    config.engine,
    info.runtimes.split(' ').filter((r) => r !== ''),
    info.defaultRuntime,
  );
  if (choice instanceof Error) return { state: 'failed', error: new EngineError(choice.message) };
  const version = info.local ? await runtimeVersion(choice.runtime) : null;
  const state = {
    images: [] as ReadyImage[],
    containers: [] as ContainerMeasure[],
    daemon: null as DaemonMeasure | null,
    notes: choice.notes,
  };
  const build = (batches: Parameters<typeof dockerResult>[0]['batches'], resultState: PlatformResult['state'], error?: string): PlatformResult =>
    dockerResult({
      info,
      runtime: choice.profile,
      ociRuntime: { name: choice.runtime, version },
      backend: config.engine,
      scale: options.scale,
      instancesRequested: scenario.totalInstances,
      instancesMeasured: scenario.totalInstances,
      repetitions: batches.length,
      images: state.images,
      batches,
      slept,
      containers: state.containers,
      daemon: state.daemon,
      state: resultState,
      ...(error === undefined ? {} : { error }),
      notes: state.notes,
    });

  try {
    state.images = await ensureImages(engine, scenario.services, signal, progress, config.engine);
    await leaseImages(engine, state.images, options);
  } catch (error) {
    if (error instanceof EngineError && !signal.aborted) return { state: 'failed', error };
    throw error;
  }
  const instances = scenario.services.flatMap((service) => {
    const image = state.images.find((i) => i.service === service.name)!;
    const runtimeConfig = { ...config, pidsLimit: config.pidsLimit + runtimePidsExtra(choice.runtime) };
    const spec = {
      ...containerSpec(slept ? service : { ...service, app: { ...service.app, startupMs: 0 } }, image.ref, options.runId, runtimeConfig, image.plan !== undefined),
      runtime: choice.runtime,
    };
    return Array.from({ length: service.instances }, () => ({ service: service.name, spec }));
  });
  // The warm-up starts one instance of each service: enough to pay the daemon's first start and
  // to bring each image's files into the page cache, at a sixth of a full batch's time.
  const warmup = scenario.services.flatMap((service) => instances.find((i) => i.service === service.name) ?? []);
  const repetitions = await runRepetitions<null>({
    backend: config.engine,
    instances: instances.length,
    warmupInstances: warmup.length,
    options,
    ...(slept ? {} : { declaredStartupMs: (name: string) => scenario.services.find((s) => s.name === name)?.app.startupMs ?? 0 }),
    runBatch: async ({ last, measured }) => {
      const batch = await runBatch(
        { engine, cleanup, signal, timeoutMs: options.instanceTimeoutMs },
        { instances: measured ? instances : warmup, concurrency: scenario.concurrency, stopOnFailure: options.onInstanceFailure === 'stop' },
      );
      try {
        const engineFailure = batch.outcomes.find((o) => o.state === 'failed' && o.reason === 'engine-error');
        if (engineFailure?.state === 'failed') throw new EngineError(engineFailure.message);
        if (last) await measureBatch(engine, info, scenario.services, batch, options, state, config);
      } finally {
        await Promise.all(batch.started.map((s) => s.remove()));
      }
      return { outcomes: batch.outcomes, extra: null };
    },
  });
  const batches = repetitions.batches.map((b) => b.outcomes);
  const failures = repetitions.failures;
  if (repetitions.engineError !== undefined) {
    const error = repetitions.engineError;
    state.notes.push(`stopped after ${batches.length} of ${options.repetitions} measured batch(es): ${error.message}`);
    if (batches.length === 0) return { state: 'failed', error, result: build(batches, 'failed', error.message) };
    return { state: 'partial', result: build(batches, 'partial', error.message), error };
  }
  return { state: 'completed', result: build(batches, failures.length > 0 ? 'partial' : 'completed', failures.length > 0 ? failures.join('; ') : undefined) };
}

/** Waits for the app's writes, then measures memory and disk of every ready container. */
async function measureBatch(
  engine: DockerEngine,
  info: EngineInfo,
  services: readonly ServiceSpec[],
  batch: BatchRun,
  options: RealRunOptions,
  state: { containers: ContainerMeasure[]; daemon: DaemonMeasure | null; notes: string[] },
  config: DockerRunConfig,
): Promise<void> {
  const ready = batch.started.filter((s) => s.outcome.state === 'ready');
  const done = await abortable(Promise.all(ready.map((s) => withDeadline<AppEvent | { kind: 'timeout' }>(s.done, options.instanceTimeoutMs, () => ({ kind: 'timeout' })))), options.signal);
  const notDone = done.filter((event) => event.kind !== 'done').length;
  if (notDone > 0) state.notes.push(`${notDone} container(s) did not finish their writes in time; their disk figures may be low`);
  throwIfAborted(options.signal);
  options.progress(`${config.engine}: measuring memory and disk of ${ready.length} container(s)`);
  const processes = info.local ? await listProcesses() : [];
  // Every container is idle by now (its writes are done): measuring them at once changes no figure.
  const measured = await abortable(
    Promise.all(
      ready.flatMap((started) => {
        const outcome = started.outcome;
        if (outcome.state !== 'ready') return [];
        const service = services.find((s) => s.name === outcome.service)!;
        return [measureContainer(engine, outcome.id, outcome.service, service.app.files, info.local, processes)];
      }),
    ),
    options.signal,
  );
  state.containers.push(...measured);
  state.daemon = info.local ? await measureDaemon(processes, config.daemonProcesses ?? engineDaemons(engine.location)) : null;
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
    command: [
      builtImage ? '/bin/busybox' : '/bin/sh',
      ...(builtImage ? ['sh'] : []),
      '-c',
      appScript(service.app, { busybox, scratchDir: '/dev/shm', rootDir: '', ...(service.app.fork === undefined ? {} : { forkApp: IMAGE_FORK_APP }) }),
    ],
    labels: { isobench: '1', [RUN_LABEL]: runId, ...ownerLabels(), 'isobench.service': service.name },
    memoryLimitBytes: Math.max(6 * 1024 ** 2, appResidentBytes(service.app) + config.memoryMarginBytes),
    // A forking app runs one process per worker besides the script's own.
    pidsLimit: config.pidsLimit + (service.app.fork?.workers ?? 0),
    shmBytes: 1024 ** 2,
    ...(config.ulimits === undefined ? {} : { ulimits: config.ulimits }),
  };
}

/** The model profile of this engine's default runtime (what calibration measures). */
export function runtimeProfile(info: EngineInfo, engine: DockerRunConfig['engine'] = 'docker'): string {
  return `${engine}-${info.defaultRuntime || (engine === 'podman' ? 'crun' : 'runc')}`;
}

/** What the app holds resident: its memory, and each forked worker's copies of the pages it writes. */
function appResidentBytes(app: ServiceSpec['app']): number {
  if (app.fork === undefined) return app.memoryBytes;
  const page = 4096;
  return app.memoryBytes + app.fork.workers * Math.ceil((app.memoryBytes * app.fork.writesRatio) / page) * page;
}
