// Docker costs on this host, measured with the docker backend's own pieces: create, start, the
// runtime's exec until the app's first line, per-layer cost, shim and daemon memory, load and copy-up rates.

import type { CleanupStack } from '../backends/cleanup.js';
import type { DockerEngine, EngineInfo } from '../backends/docker/engine.js';
import { ensureImages, type ReadyImage } from '../backends/docker/images.js';
import { startContainer, type StartedContainer } from '../backends/docker/instance.js';
import { measureContainer, measureDaemon } from '../backends/docker/measure.js';
import { reapLeftovers } from '../backends/docker/reap.js';
import { containerSpec, DEFAULT_DOCKER_RUN_CONFIG } from '../backends/docker/run.js';
import { abortable, throwIfAborted } from '../backends/host/abort.js';
import { listProcesses } from '../backends/host/proc.js';
import type { ServiceSpec } from '../scenario/types.js';

const MiB = 1024 ** 2;

export interface DockerCalibration {
  /** Medians of `samples` sequential starts of a 1-layer image. */
  createMs: number;
  startMs: number;
  /** start returned -> first line of an app with no memory and no startup (exec of busybox sh). */
  execMs: number;
  /** Extra create+start per extra layer (8-layer vs 1-layer image). */
  perLayerMs: number;
  /** `concurrent` creates at once: wall time. */
  concurrentCreateWallMs: number;
  concurrent: number;
  shimPssBytes: number;
  /** Docker CLI figure of an idle container (busybox sh + sleep, no app memory). */
  idleContainerBytes: number;
  daemonPssBytes: number | null;
  /** docker load of incompressible layers (generate, hash, upload, store). */
  loadBytesPerSec: number | null;
  /** 1-byte modify of a large image file: file bytes / (ready -> done). */
  copyUpBytesPerSec: number;
  samples: number;
}

export interface CalibrateContext {
  engine: DockerEngine;
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
  await reapLeftovers(engine, context.runId);
  const copyUpFileBytes = 64 * MiB;
  const services = [
    calibrationService('calibrate-one', [['calibrate-base', 4 * MiB]]),
    calibrationService('calibrate-eight', Array.from({ length: 8 }, (_, i): [string, number] => [i === 0 ? 'calibrate-base' : `calibrate-l${i}`, i === 0 ? 4 * MiB : 256 * 1024])),
    calibrationService('calibrate-copyup', [['calibrate-base', 4 * MiB], ['calibrate-copyup', copyUpFileBytes]], [
      { path: '/data/big.bin', sizeBytes: copyUpFileBytes, writeBytes: 1, mode: 'modify' },
    ]),
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
    const spec = containerSpec(service, image(name).ref, context.runId, DEFAULT_DOCKER_RUN_CONFIG, true);
    const started = await startContainer({ engine, cleanup: context.cleanup, signal, timeoutMs: 30_000, batchStart: performance.now() }, spec, 0, name);
    if (started.outcome.state !== 'ready') throw new Error(`calibration container ${name} failed: ${started.outcome.message}`);
    return started;
  };
  const phase = (s: StartedContainer, label: string): number => (s.outcome.state === 'ready' ? (s.outcome.phases[label] ?? 0) : 0);

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
  const daemon = context.info.local ? await measureDaemon(processes) : null;
  for (const s of idle) await s.remove();

  progress('calibrate: concurrent creates');
  const concurrent = 4;
  const spec = containerSpec(services[0]!, image('calibrate-one').ref, context.runId, DEFAULT_DOCKER_RUN_CONFIG, true);
  const t0 = performance.now();
  const ids = await abortable(Promise.all(Array.from({ length: concurrent }, () => engine.createContainer(spec))), signal);
  const concurrentCreateWallMs = performance.now() - t0;
  await Promise.all(ids.map((id) => engine.removeContainer(id)));

  progress(`calibrate: copy-up of a ${copyUpFileBytes / MiB} MiB file`);
  const copyStart = performance.now();
  const copy = await run('calibrate-copyup');
  const done = await abortable(copy.done, signal);
  // run() starts its own clock just after copyStart; readyAtMs is relative to it (error well under 1 ms).
  const readyAbs = copyStart + (copy.outcome.state === 'ready' ? copy.outcome.readyAtMs : 0);
  if (done.kind !== 'done') throw new Error('calibration copy-up container did not finish its write');
  const copyMs = Math.max(1, done.at - readyAbs);
  await copy.remove();

  const c1 = median(one.map((s) => phase(s, 'create')));
  const s1 = median(one.map((s) => phase(s, 'start')));
  const c8 = median(eight.map((s) => phase(s, 'create')));
  const s8 = median(eight.map((s) => phase(s, 'start')));
  return {
    createMs: c1,
    startMs: s1,
    execMs: median(one.map((s) => phase(s, 'app'))),
    perLayerMs: Math.max(0, (c8 + s8 - (c1 + s1)) / 7),
    concurrentCreateWallMs,
    concurrent,
    shimPssBytes: median(measures.map((m) => m.shimPssBytes ?? 0)),
    idleContainerBytes: median(measures.map((m) => m.cliBytes)),
    daemonPssBytes: daemon?.pssBytes ?? null,
    loadBytesPerSec,
    copyUpBytesPerSec: copyUpFileBytes / (copyMs / 1000),
    samples: context.samples,
  };
}

/** Median (mean of the middle two for an even count); 0 for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
