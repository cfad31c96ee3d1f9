// A Docker-API engine's costs on this host for `isobench calibrate` (Docker, or Podman through its
// compatible service), measured with the backends' own pieces: create, start, the runtime's exec
// until the app's first line, per-layer cost, shim and daemon memory, load and copy-up rates. A
// figure that was not measured is null and its parameter is not written.

import type { ServiceSpec } from '../../../scenario/types.js';
import { abortable, throwIfAborted } from '../abort.js';
import { burstOf, CalibrationWriter } from '../calibration.js';
import type { CleanupStack } from '../cleanup.js';
import { listProcesses } from '../proc.js';
import { median } from '../stats.js';
import type { Calibration } from '../../types.js';
import type { DockerEngine, EngineInfo } from './engine.js';
import { ensureImages, type ReadyImage } from '../docker-images.js';
import { startContainer, type StartedContainer } from './instance.js';
import { engineDaemons, measureContainer, measureDaemon, type DaemonPicker } from './measure.js';
import { reapLeftovers } from './reap.js';
import { containerSpec, DEFAULT_DOCKER_RUN_CONFIG, type DockerRunConfig } from './run.js';
import { RUNTIMES } from '../../../profiles/runtimes.js';
import { builtinCatalog } from '../../../profiles/catalog.js';
import { fitStartSerial, type MeasuredBurst } from '../../../model/fit-start-serial.js';

const MiB = 1024 ** 2;

/** What the Docker calibration measured; null where its probe measured nothing. */
export interface DockerCalibration {
  /** Medians of `samples` sequential starts of a 1-layer image. */
  createMs: number | null;
  /** Attach + start requests (the container's set-up and start, as the model's start path). */
  startMs: number | null;
  /** start returned -> first line of an app with no memory and no startup (exec of busybox sh). */
  execMs: number | null;
  /** Extra create+start per extra layer (8-layer vs 1-layer image). */
  perLayerMs: number | null;
  /** `burst.instances` tiny containers started at once, mean of each batch's first/p50/all ready; null if none got ready. */
  burst: MeasuredBurst | null;
  /** `concurrent` creates at once: wall time. */
  concurrentCreateWallMs: number;
  concurrent: number;
  shimPssBytes: number | null;
  /** Docker CLI figure of an idle container (busybox sh + sleep, no app memory). */
  idleContainerBytes: number | null;
  daemonPssBytes: number | null;
  /** docker load of incompressible layers (generate, hash, upload, store); null when the image was cached. */
  loadBytesPerSec: number | null;
  /** 1-byte modify of a large image file: file bytes / (ready -> done). */
  copyUpBytesPerSec: number;
  samples: number;
}

/** What differs between the engines behind the API: how containers are made, whose processes are its daemons, and their names. */
export interface CalibratedEngine {
  config: DockerRunConfig;
  /** The engine's own processes (dockerd and its containerd; Podman's API service). */
  daemons: DaemonPicker;
  names: { daemons: string; shim: string; stats: string };
}

const DOCKER_NAMES: CalibratedEngine['names'] = { daemons: 'dockerd + containerd', shim: 'containerd-shim-runc-v2', stats: 'Docker CLI' };

/** Docker's: dockerd + containerd found by the engine's socket, containerd-shim-runc-v2, `docker stats`. */
export function dockerEngine(engine: DockerEngine): CalibratedEngine {
  return { config: DEFAULT_DOCKER_RUN_CONFIG, daemons: engineDaemons(engine.location), names: DOCKER_NAMES };
}

export interface CalibrateContext {
  engine: DockerEngine;
  /** Default: Docker's (dockerEngine). */
  calibrated?: CalibratedEngine;
  info: EngineInfo;
  runId: string;
  samples: number;
  signal: AbortSignal;
  cleanup: CleanupStack;
  progress: (message: string) => void;
}

function calibrationService(name: string, layers: [string, number][], files: ServiceSpec['app']['files'] = []): ServiceSpec {
  return {
    name,
    instances: 1,
    app: { memoryBytes: 0, startupMs: 0, files },
    image: { layers: layers.map(([id, sizeBytes]) => ({ id, sizeBytes })) },
    container: { runtime: 'docker-runc' },
    vm: { hypervisor: 'qemu-kvm', memoryBytes: 0, vcpus: 1, clone: 'linked', boot: 'kernel', image: { id: 'none', sizeBytes: 0 } },
  };
}

/** Runs every Docker measurement; containers are removed as it goes (and by the cleanup on abort). */
export async function measureDocker(context: CalibrateContext): Promise<DockerCalibration> {
  const { engine, signal, progress } = context;
  const { config, daemons } = context.calibrated ?? dockerEngine(engine);
  await reapLeftovers(engine, context.runId);
  const copyUpFileBytes = 64 * MiB;
  const services = [
    calibrationService('calibrate-one', [['calibrate-base', 4 * MiB]]),
    calibrationService(
      'calibrate-eight',
      Array.from({ length: 8 }, (_, i): [string, number] => [i === 0 ? 'calibrate-base' : `calibrate-l${i}`, i === 0 ? 4 * MiB : 256 * 1024]),
    ),
    calibrationService(
      'calibrate-copyup',
      [
        ['calibrate-base', 4 * MiB],
        ['calibrate-copyup', copyUpFileBytes],
      ],
      [{ path: '/data/big.bin', sizeBytes: copyUpFileBytes, writeBytes: 1, mode: 'modify' }],
    ),
    calibrationService('calibrate-load', [[`calibrate-load-${context.runId}`, 32 * MiB]]),
  ];
  progress('calibrate: building calibration images');
  const images = await ensureImages(engine, services, signal, progress);
  const image = (name: string): ReadyImage => images.find((i) => i.service === name)!;
  const load = image('calibrate-load');
  const loadBytesPerSec = load.built && load.buildMs > 0 ? (32 * MiB) / (load.buildMs / 1000) : null;

  const one: StartedContainer[] = [];
  const run = async (name: string): Promise<StartedContainer> => {
    throwIfAborted(signal);
    const service = services.find((s) => s.name === name)!;
    const spec = containerSpec(service, image(name).ref, context.runId, config, true);
    const started = await startContainer({ engine, cleanup: context.cleanup, signal, timeoutMs: 30_000, batchStart: performance.now() }, spec, 0, name);
    if (started.outcome.state !== 'ready') throw new Error(`calibration container ${name} failed: ${started.outcome.message}`);
    return started;
  };
  /** The sum of some phases of every start that has them all (run() only returns ready starts). */
  const phases = (starts: StartedContainer[], ...labels: string[]): number[] =>
    starts.flatMap(({ outcome }) => {
      if (outcome.state !== 'ready' || labels.some((l) => outcome.phases[l] === undefined)) return [];
      return [labels.reduce((sum, l) => sum + outcome.phases[l]!, 0)];
    });

  progress(`calibrate: ${context.samples} sequential starts of a 1-layer and an 8-layer image`);
  const eight: StartedContainer[] = [];
  // One unmeasured start of each warms the daemon's caches.
  for (const warm of ['calibrate-one', 'calibrate-eight']) await (await run(warm)).remove();
  for (let i = 0; i < context.samples; i += 1) {
    one.push(await run('calibrate-one'));
    const e = await run('calibrate-eight');
    eight.push(e);
    await e.remove();
  }
  // Keep up to four one-layer containers running for the memory figures; remove the rest.
  for (const s of one.slice(4)) await s.remove();
  const idle = one.slice(0, 4);
  progress('calibrate: memory of idle containers, their shims and the daemon');
  const processes = await listProcesses();
  const measures = [];
  for (const s of idle) {
    if (s.outcome.state === 'ready') measures.push(await measureContainer(engine, s.outcome.id, 'calibrate-one', [], context.info.local, processes));
  }
  const daemon = context.info.local ? await measureDaemon(processes, daemons) : null;
  for (const s of idle) await s.remove();

  const burst = await measureBurst(context, async (batchStart) => {
    const service = services[0]!;
    const spec = containerSpec(service, image('calibrate-one').ref, context.runId, config, true);
    return startContainer({ engine, cleanup: context.cleanup, signal, timeoutMs: 30_000, batchStart }, spec, 0, service.name);
  });

  progress('calibrate: concurrent creates');
  const concurrent = 4;
  const spec = containerSpec(services[0]!, image('calibrate-one').ref, context.runId, config, true);
  const t0 = performance.now();
  const ids = await abortable(Promise.all(Array.from({ length: concurrent }, () => engine.createContainer(spec))), signal);
  const concurrentCreateWallMs = performance.now() - t0;
  await Promise.all(ids.map((id) => engine.removeContainer(id)));

  progress(`calibrate: copy-up of a ${copyUpFileBytes / MiB} MiB file`);
  const copyStart = performance.now();
  const copy = await run('calibrate-copyup');
  const done = await abortable(copy.done, signal);
  // run() starts its own clock just after copyStart; readyAtMs is relative to it (error well under 1 ms).
  if (copy.outcome.state !== 'ready') throw new Error('calibration copy-up container was not ready');
  const readyAbs = copyStart + copy.outcome.readyAtMs;
  if (done.kind !== 'done') throw new Error('calibration copy-up container did not finish its write');
  const copyMs = Math.max(1, done.at - readyAbs);
  await copy.remove();

  const c1 = median(phases(one, 'create'));
  // The start as the model has it: attach (Podman's compatible service sets the container up there,
  // ~0.5 s; Docker's ~4 ms) and the start request.
  const s1 = median(phases(one, 'attach', 'start'));
  const c8 = median(phases(eight, 'create'));
  const s8 = median(phases(eight, 'attach', 'start'));
  return {
    createMs: c1,
    startMs: s1,
    execMs: median(phases(one, 'app')),
    perLayerMs: c1 === null || s1 === null || c8 === null || s8 === null ? null : Math.max(0, (c8 + s8 - (c1 + s1)) / 7),
    burst,
    concurrentCreateWallMs,
    concurrent,
    shimPssBytes: median(measures.flatMap((m) => (m.shimPssBytes === null ? [] : [m.shimPssBytes]))),
    idleContainerBytes: median(measures.flatMap((m) => (m.cliBytes === null ? [] : [m.cliBytes]))),
    daemonPssBytes: daemon?.pssBytes ?? null,
    loadBytesPerSec,
    copyUpBytesPerSec: copyUpFileBytes / (copyMs / 1000),
    samples: context.samples,
  };
}

/** Tiny containers started at once, BURST_INSTANCES at a time, BURST_BATCHES times. */
const BURST_INSTANCES = 8;
const BURST_BATCHES = 3;

/** Bursts of tiny containers requested at once: the mean of each batch's first, p50 and all ready. */
async function measureBurst(context: CalibrateContext, start: (batchStart: number) => Promise<StartedContainer>): Promise<MeasuredBurst | null> {
  context.progress(`calibrate: ${BURST_BATCHES} bursts of ${BURST_INSTANCES} starts at once`);
  const batches: number[][] = [];
  for (let b = 0; b < BURST_BATCHES; b += 1) {
    throwIfAborted(context.signal);
    const batchStart = performance.now();
    const started = await abortable(Promise.all(Array.from({ length: BURST_INSTANCES }, () => start(batchStart))), context.signal);
    await Promise.all(started.map((s) => s.remove()));
    batches.push(started.flatMap((s) => (s.outcome.state === 'ready' ? [s.outcome.readyAtMs] : [])));
  }
  return burstOf(BURST_INSTANCES, batches);
}

/** The runtime profile's parameters from what was measured; refuses what was not. Pure. */
export function dockerOverrides(runtime: string, docker: DockerCalibration, cpus: number, source: (how: string) => string, names: CalibratedEngine['names'] = DOCKER_NAMES): Calibration {
  const out = new CalibrationWriter(source);
  const r = `runtimes.${runtime}`;
  const n = docker.samples;
  const createMs = docker.createMs === null || docker.perLayerMs === null ? null : docker.createMs - docker.perLayerMs;
  // Model: k creates at once take (create - serial) x max(1, k / cpus) + k x serial; solve for serial.
  const f = Math.max(1, docker.concurrent / cpus);
  const serialMs =
    createMs === null || docker.createMs === null ? null : Math.min(createMs, Math.max(0, docker.concurrent > f ? (docker.concurrentCreateWallMs - docker.createMs * f) / (docker.concurrent - f) : 0));
  // The app's first line often arrives before the start request returns: start-to-ready is one span.
  const runtimeMs = docker.execMs === null ? null : Math.max(0, docker.execMs);
  // The model splits a start into CPU (startMs), the OCI runtime and a part the daemon serialises
  // (startSerialMs). One start at a time cannot tell the serialised part from the rest: the split
  // is fitted to the bursts (the model simulates each candidate). Without a burst the built-in
  // serialised part (fitted to bursts of 1, 4 and 16 here) is kept and taken out of the lone start.
  const loneStartMs = docker.startMs === null || docker.execMs === null || runtimeMs === null ? null : Math.max(0, docker.startMs + docker.execMs - runtimeMs);
  const builtInSerialMs = RUNTIMES[runtime]?.startSerialMs.value ?? 0;
  const noStart = 'no calibration container got ready';
  out.set(`${r}.createMs`, createMs, 'ms', `median create request of a 1-layer image (${n} starts), less one layer's cost`, noStart);
  out.set(
    `${r}.createSerialMs`,
    serialMs,
    'ms',
    `${docker.concurrent} concurrent creates took ${Math.round(docker.concurrentCreateWallMs)} ms on ${cpus} cpus; solved for the serial part (at most createMs)`,
    noStart,
  );
  out.set(`${r}.layerSetupMsPerLayer`, docker.perLayerMs, 'ms', `(create + start of an 8-layer image - of a 1-layer image) / 7, medians of ${n}`, noStart);
  out.set(`${r}.runtimeMs`, runtimeMs, 'ms', `median start returned -> first line of busybox sh (${Math.round(docker.execMs ?? Number.NaN)} ms; 0 when the line came first), ${n} starts`, noStart);
  const lone = `median attach + start requests (${Math.round(docker.startMs ?? Number.NaN)} ms: ${names.shim}, the OCI runtime's create + start) to the app's first line, less runtimeMs`;
  if (loneStartMs !== null && docker.burst !== null) {
    const b = docker.burst;
    const split = fitStartSerial({ runtime, loneStartMs, burst: b, cpus, catalog: builtinCatalog(), overrides: { ...out.overrides } });
    const burst = `${b.instances} starts at once (first ${Math.round(b.firstMs)}, p50 ${Math.round(b.p50Ms)}, all ${Math.round(b.allMs)} ms; modeled with this split ${Math.round(split.modeled.firstMs)}, ${Math.round(split.modeled.p50Ms)}, ${Math.round(split.modeled.allMs)} ms)`;
    out.set(`${r}.startSerialMs`, split.startSerialMs, 'ms', `fitted: the serialised part of the lone start (${Math.round(loneStartMs)} ms) that best reproduces ${burst}`);
    out.set(`${r}.startMs`, split.startMs, 'ms', `${lone}, less the fitted serialised part (${split.startSerialMs} ms); ${n} starts`);
  } else {
    out.set(`${r}.startMs`, loneStartMs === null ? null : Math.max(0, loneStartMs - builtInSerialMs), 'ms', `${lone} and the built-in serialised part (${builtInSerialMs} ms); ${n} starts`, noStart);
    out.set(`${r}.startSerialMs`, null, 'ms', '', 'no burst of starts got ready, and one start at a time cannot tell the serialised part from the rest; the built-in figure stays');
  }
  out.set(`${r}.shimMemoryBytes`, docker.shimPssBytes, 'bytes', `median PSS of ${names.shim} per container`, 'no shim was visible from here (remote engine or VM)');
  out.set(
    `${r}.perContainerKernelBytes`,
    docker.idleContainerBytes,
    'bytes',
    `median ${names.stats} memory of an idle container (cgroup usage - inactive file; its sh + sleep and kernel charges)`,
    'the daemon reported no cgroup memory figures',
  );
  out.set(`${r}.daemonMemoryBytes`, docker.daemonPssBytes, 'bytes', `PSS of ${names.daemons} with containers running`, `${names.daemons}: not visible from here`);
  return out.result();
}
