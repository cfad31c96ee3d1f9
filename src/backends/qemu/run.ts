// One scenario on real QEMU guests: build the initramfs and base images, then for each batch
// (warm-up, then measured) clone a disk and boot a guest per instance, wave after wave, measure,
// and delete every clone. Every process and file is registered with the cleanup stack on creation.

import { rm } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { EngineError } from '../../errors.js';
import type { PlatformResult } from '../../report/types.js';
import type { FileWrite, Scenario, ServiceSpec } from '../../scenario/types.js';
import { throwIfAborted } from '../shared/abort.js';
import { runRepetitions } from '../shared/repetitions.js';
import { makeRunTempDir } from '../shared/temp.js';
import type { RealRunOptions, RunOutcome } from '../types.js';
import { chooseAccelerator, type AcceleratorChoice } from './accelerator.js';
import { cloneDisk, makeBaseImage, measureDisk, pageCacheBytes, type BaseImage } from './disk.js';
import { findQemuEngine, type QemuEngine } from './engine.js';
import { guestRamMiB, runGuest } from './guest.js';
import { buildInitramfs, type Initramfs } from './initramfs.js';
import { buildResult, instanceOutcome, type BatchRecord, type InstanceRecord } from './result.js';

/** What each service boots from. */
interface ServiceSetup {
  service: ServiceSpec;
  initramfs: Initramfs;
  base: BaseImage;
}

/** Host-side throughput assumed for a guest's writes when sizing the finish timeout (TCG is slow). */
const WRITE_ALLOWANCE_BYTES_PER_SEC = 4 * 1024 ** 2;

/**
 * Measures the scenario (already scaled and capped) on QEMU guests; throws InterruptedError on abort.
 * Its work folder carries this process's pid, so `isobench clean` leaves it alone while it runs.
 */
export async function runQemuScenario(scenario: Scenario, options: RealRunOptions, ready?: { engine: QemuEngine; accel: AcceleratorChoice }): Promise<RunOutcome> {
  let engine: QemuEngine;
  let accel: AcceleratorChoice;
  try {
    engine = ready?.engine ?? (await findQemuEngine());
    accel = ready?.accel ?? (await chooseAccelerator(engine, options.signal));
  } catch (error) {
    if (error instanceof EngineError && !options.signal.aborted) return { state: 'failed', error };
    throw error;
  }
  throwIfAborted(options.signal);
  options.progress(`qemu: accelerator ${accel.accelerator}: ${accel.reason}`);
  const workDir = await makeRunTempDir('qemu', options.runId);
  const removeWorkDir = options.cleanup.defer(`remove ${workDir}`, () => rm(workDir, { recursive: true, force: true }));
  try {
    return await measure(engine, accel, scenario, options, workDir);
  } finally {
    await removeWorkDir();
  }
}

async function measure(engine: QemuEngine, accel: AcceleratorChoice, scenario: Scenario, options: RealRunOptions, workDir: string): Promise<RunOutcome> {
  const counts = scenario.services.map((service) => service.instances);
  const setups: ServiceSetup[] = [];
  const order: ServiceSetup[] = [];
  // Services naming the same vm.image.id boot clones of one base, holding every file they write into.
  const filesOfImage = new Map<string, FileWrite[]>();
  scenario.services.forEach((service, index) => {
    if ((counts[index] ?? 0) > 0) filesOfImage.set(service.vm.image.id, [...(filesOfImage.get(service.vm.image.id) ?? []), ...service.app.files]);
  });
  const bases = new Map<string, BaseImage>();
  for (const [index, service] of scenario.services.entries()) {
    const count = counts[index] ?? 0;
    if (count === 0) continue;
    const dir = path.join(workDir, `service-${index}`);
    const initramfs = await buildInitramfs(engine, {
      modules: engine.modules.map((file) => path.basename(file, '.ko')),
      disk: true,
      appMemoryBytes: service.app.memoryBytes,
      appStartupMs: service.app.startupMs,
      files: service.app.files,
    });
    throwIfAborted(options.signal);
    let base = bases.get(service.vm.image.id);
    if (base === undefined) {
      options.progress(`building a ${service.vm.image.sizeBytes} B base image ${service.vm.image.id}`);
      base = await makeBaseImage(engine, dir, service.vm.image.sizeBytes, filesInImage(filesOfImage.get(service.vm.image.id) ?? []));
      bases.set(service.vm.image.id, base);
    }
    const setup = { service, initramfs, base };
    setups.push(setup);
    for (let i = 0; i < count; i += 1) order.push(setup);
  }
  if (order.length === 0) throw new EngineError('the scenario has no instance to run on QEMU');
  const concurrency = Math.max(1, Math.min(scenario.concurrency, order.length));

  const repetitions = await runRepetitions<BatchRecord>({
    backend: 'qemu',
    instances: order.length,
    options,
    // The guest sleeps its declared startup (declaredStartupMs not given): its clock runs under the accelerator.
    runBatch: async ({ index }) => {
      const batch = await runBatch(engine, accel, order, concurrency, workDir, `b${index}`, options);
      return { outcomes: batch.instances.map((instance, i) => instanceOutcome(instance, i, concurrency)), extra: batch };
    },
  });
  const batches = repetitions.batches.map((b) => b.extra);

  const first = setups[0];
  const result: PlatformResult = buildResult(batches, {
    accelerator: accel.accelerator,
    acceleratorReason: accel.reason,
    engineVersion: engine.version,
    kernelVersion: engine.kernelVersion,
    scale: options.scale,
    instancesRequested: scenario.totalInstances,
    base: {
      allocatedBytes: [...bases.values()].reduce((sum, b) => sum + b.allocatedBytes, 0),
      sizeBytes: [...bases.values()].reduce((sum, b) => sum + b.sizeBytes, 0),
      note:
        [...bases.values()]
          .map((b) => b.note)
          .filter((n) => n !== null)
          .join('; ') || null,
    },
    guestRamBytes: guestRamMiB(first!.service.vm.memoryBytes) * 1024 ** 2,
    vcpus: first!.service.vm.vcpus,
    concurrency,
    notes: [
      ...(setups.length > 1 ? [`${setups.length} services: guest RAM and vCPUs above are the first service's; ${bases.size} base image(s), one per vm.image.id`] : []),
      ...(options.warmup > 0 ? [`${options.warmup} warm-up batch(es) not measured`] : []),
    ],
  });
  if (repetitions.engineError !== undefined) {
    if (batches.length === 0) return { state: 'failed', error: repetitions.engineError };
    return { state: 'partial', result: { ...result, state: 'partial', error: repetitions.engineError.message }, error: repetitions.engineError };
  }
  return { state: 'completed', result };
}

/** One batch: clones and guests for every instance, in waves; nothing of it is left afterwards. */
async function runBatch(engine: QemuEngine, accel: AcceleratorChoice, order: ServiceSetup[], concurrency: number, workDir: string, tag: string, options: RealRunOptions): Promise<BatchRecord> {
  const t0 = performance.now();
  const now = (): number => performance.now() - t0;
  const running: Promise<InstanceRecord | null>[] = [];
  const removals: (() => Promise<void>)[] = [];
  let pageCache: BatchRecord['pageCache'] = null;
  try {
    for (let start = 0; start < order.length; start += concurrency) {
      const wave = order.slice(start, start + concurrency).map((setup, offset) => {
        const index = start + offset;
        let markReady: () => void = () => {};
        const readyOrEnded = new Promise<void>((resolve) => {
          markReady = resolve;
        });
        const record = (async (): Promise<InstanceRecord | null> => {
          try {
            const startAtMs = now();
            const clone = await cloneDisk(engine, setup.service.vm.clone, setup.base.file, path.join(workDir, `${tag}-g${index}.${setup.service.vm.clone === 'linked' ? 'qcow2' : 'raw'}`));
            removals.push(options.cleanup.defer(`remove ${clone.file}`, () => rm(clone.file, { force: true })));
            if (options.signal.aborted) return null;
            const execAtMs = now();
            const writeBytes = setup.service.app.files.reduce((sum, file) => sum + file.writeBytes, 0);
            const outcome = await runGuest({
              engine,
              accelerator: accel.accelerator,
              label: `${tag}-g${index}`,
              memoryBytes: setup.service.vm.memoryBytes,
              vcpus: setup.service.vm.vcpus,
              initramfs: setup.initramfs.path,
              workDir,
              disk: { file: clone.file, format: clone.format },
              readyTimeoutMs: options.instanceTimeoutMs,
              finishTimeoutMs: Math.max(30_000, options.instanceTimeoutMs) + (writeBytes / WRITE_ALLOWANCE_BYTES_PER_SEC) * 1000,
              signal: options.signal,
              cleanup: options.cleanup,
              onReady: markReady,
            });
            const disk = outcome.state === 'completed' ? await measureDisk(engine, clone) : null;
            return { service: setup.service.name, startAtMs, execAtMs, clone, outcome, disk };
          } finally {
            markReady();
          }
        })();
        running.push(record);
        return readyOrEnded;
      });
      await Promise.all(wave);
      throwIfAborted(options.signal);
    }
    const files = [...new Set(order.flatMap((s) => [s.base.file, s.initramfs.path]))];
    const cached = await pageCacheBytes([...files, engine.kernel]);
    if (cached) {
      pageCache = [...cached.entries()].map(([file, bytes]) => ({ label: shortName(file, engine), bytes }));
    }
    const records = await Promise.all(running);
    throwIfAborted(options.signal);
    return { instances: records.filter((r): r is InstanceRecord => r !== null), pageCache };
  } finally {
    // Guests still running (an error or abort above) are killed through their own abort/cleanup.
    await Promise.allSettled(running);
    for (const remove of removals) await remove();
  }
}

function shortName(file: string, engine: QemuEngine): string {
  if (file === engine.kernel) return `guest kernel (${path.basename(file)})`;
  if (file.endsWith('.cpio')) return `initramfs (${path.basename(file)})`;
  return `base image (${path.basename(path.dirname(file))}/${path.basename(file)})`;
}

/** The files a base image must hold for its guests: one per path, the largest size asked for. */
export function filesInImage(files: readonly FileWrite[]): FileWrite[] {
  const byPath = new Map<string, FileWrite>();
  for (const file of files) {
    const seen = byPath.get(file.path);
    if (seen === undefined || file.sizeBytes > seen.sizeBytes) byPath.set(file.path, file);
  }
  return [...byPath.values()];
}
