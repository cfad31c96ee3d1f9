// `isobench calibrate` for QEMU: boots a few guests on this host and turns what they cost into
// overrides of the hypervisor profile that matches the accelerator ('qemu-kvm' or 'qemu-tcg').

import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CleanupStack } from '../backends/cleanup.js';
import { chooseAccelerator, type AcceleratorChoice } from '../backends/qemu/accelerator.js';
import { cloneDisk, makeBaseImage, measureDisk, pageCacheBytes, type BaseImage, type DiskUsage } from '../backends/qemu/disk.js';
import { findQemuEngine, type QemuEngine } from '../backends/qemu/engine.js';
import { runGuest, type GuestMemory, type GuestTimeline } from '../backends/qemu/guest.js';
import { buildInitramfs } from '../backends/qemu/initramfs.js';
import { EngineError, InterruptedError } from '../errors.js';
import { param, type Param } from '../profiles/param.js';
import type { FileWrite } from '../scenario/types.js';

const MiB = 1024 ** 2;

/** What calibrateQemu returns: model overrides by dotted path, and raw host facts for the profile file. */
export interface QemuCalibration {
  overrides: Record<string, Param>;
  host: Record<string, string | number | boolean | null>;
}

/** One calibration guest: its RAM, app and writes. */
interface Probe {
  name: string;
  ramBytes: number;
  appMemoryBytes: number;
  appStartupMs: number;
  files: FileWrite[];
}

/** What one calibration boot measured. */
interface Boot {
  probe: Probe;
  timeline: GuestTimeline;
  memory: GuestMemory;
  cloneMs: number;
  overlayInitialBytes: number;
  disk: DiskUsage;
  initramfsBytes: number;
}

// A: small guest, nothing to do. B: same with 4x the RAM (RAM-proportional cost) and a 500 ms
// startup (guest wall clock vs host). C: 256 MiB with 64 MiB of app memory and a 1-byte file (per-MiB and per-file costs).
const PROBES: Probe[] = [
  { name: 'A', ramBytes: 128 * MiB, appMemoryBytes: 0, appStartupMs: 0, files: [] },
  { name: 'B', ramBytes: 512 * MiB, appMemoryBytes: 0, appStartupMs: 500, files: [] },
  { name: 'C', ramBytes: 256 * MiB, appMemoryBytes: 64 * MiB, appStartupMs: 0, files: [{ path: '/calibrate/one', sizeBytes: 0, writeBytes: 1, mode: 'create' }] },
];

/**
 * Measures QEMU on this host (three guests, ~20 s under TCG): VMM start, firmware, kernel and init
 * times, guest memory touched per configured MiB, QEMU's own overhead, qcow2 overlay and cluster
 * costs. Throws EngineError when QEMU is unusable, InterruptedError when `signal` aborts.
 */
export async function calibrateQemu(options: { signal?: AbortSignal; progress?: (line: string) => void } = {}): Promise<QemuCalibration> {
  const signal = options.signal ?? new AbortController().signal;
  const say = options.progress ?? (() => {});
  const engine = await findQemuEngine();
  const accel = await chooseAccelerator(engine, signal);
  const cleanup = new CleanupStack();
  try {
    const workDir = await mkdtemp(path.join(os.tmpdir(), 'isobench-qemu-calibrate-'));
    cleanup.defer(`remove ${workDir}`, () => rm(workDir, { recursive: true, force: true }));
    const base = await makeBaseImage(engine, workDir, 64 * MiB, PROBES.flatMap((p) => p.files));
    const boots: Boot[] = [];
    for (const probe of PROBES) {
      say(`qemu calibration: guest ${probe.name} (${probe.ramBytes / MiB} MiB RAM, ${accel.accelerator})`);
      boots.push(await boot(engine, accel, base, probe, workDir, signal, cleanup));
    }
    const initramfsBytes = boots[0]?.initramfsBytes ?? 0;
    const kernelBytes = (await stat(engine.kernel)).size;
    const cache = await pageCacheBytes([base.file]);
    return toCalibration(engine, accel, boots, { kernelBytes, initramfsBytes, baseCachedBytes: cache?.get(base.file) ?? null });
  } finally {
    await cleanup.run();
  }
}

async function boot(engine: QemuEngine, accel: AcceleratorChoice, base: BaseImage, probe: Probe, workDir: string, signal: AbortSignal, cleanup: CleanupStack): Promise<Boot> {
  const initramfs = await buildInitramfs(engine, {
    modules: engine.modules.map((file) => path.basename(file, '.ko')),
    disk: true,
    appMemoryBytes: probe.appMemoryBytes,
    appStartupMs: probe.appStartupMs,
    files: probe.files,
  });
  const clone = await cloneDisk(engine, 'linked', base.file, path.join(workDir, `calibrate-${probe.name}.qcow2`));
  const outcome = await runGuest({
    engine,
    accelerator: accel.accelerator,
    label: `calibrate-${probe.name}`,
    memoryBytes: probe.ramBytes,
    vcpus: 1,
    initramfs: initramfs.path,
    workDir,
    disk: { file: clone.file, format: 'qcow2' },
    readyTimeoutMs: 60_000,
    finishTimeoutMs: 30_000,
    signal,
    cleanup,
  });
  if (outcome.state === 'aborted') throw signal.reason instanceof InterruptedError ? signal.reason : new InterruptedError('SIGINT');
  if (outcome.state !== 'completed') {
    throw new EngineError(`QEMU calibration guest ${probe.name} did not complete (${outcome.state === 'timeout' ? `timeout in ${outcome.phase}` : outcome.reason})`);
  }
  const disk = await measureDisk(engine, clone);
  await rm(clone.file, { force: true });
  return { probe, timeline: outcome.timeline, memory: outcome.memory, cloneMs: clone.createMs, overlayInitialBytes: clone.initialBytes, disk, initramfsBytes: initramfs.sizeBytes };
}

/** Pure: boots -> parameter overrides (exported for tests). */
export function toCalibration(
  engine: Pick<QemuEngine, 'version' | 'kernelVersion'>,
  accel: AcceleratorChoice,
  boots: Boot[],
  files: { kernelBytes: number; initramfsBytes: number; baseCachedBytes: number | null },
): QemuCalibration {
  const [a, b, c] = boots;
  if (!a || !b || !c) throw new Error('calibration needs the three probe guests A, B, C');
  const hv = `hypervisors.qemu-${accel.accelerator}`;
  const where = `calibrated on this host (QEMU ${engine.version}, ${accel.accelerator}, guest kernel ${engine.kernelVersion})`;
  const span = (boot: Boot, from: keyof GuestTimeline, to: keyof GuestTimeline): number => (boot.timeline[to] ?? 0) - (boot.timeline[from] ?? 0);
  const mean = (values: number[]): number => values.reduce((s, v) => s + v, 0) / values.length;
  const touched = (boot: Boot): number => boot.memory.guestRamTouchedBytes ?? 0;
  const rss = (boot: Boot): number => boot.memory.qemu?.rssBytes ?? 0;

  const vmmStartMs = mean(boots.map((boot) => boot.timeline.firmwareStartMs ?? 0));
  const firmwareMs = mean(boots.map((boot) => span(boot, 'firmwareStartMs', 'firmwareEndMs')));
  const kernelMs = mean(boots.map((boot) => span(boot, 'firmwareEndMs', 'initMs')));
  // B's app phase is its 500 ms sleep plus reading meminfo: the guest's clock against the host's.
  const slowdown = Math.max(1, span(b, 'appMs', 'readyMs') / b.probe.appStartupMs);
  const initMs = mean(boots.map((boot) => span(boot, 'initMs', 'appMs'))) / slowdown;
  const perRam = (touched(b) - touched(a)) / (b.probe.ramBytes - a.probe.ramBytes);
  const baseTouched = touched(a) - perRam * a.probe.ramBytes;
  const vmmOverhead = mean(boots.map((boot) => rss(boot) - touched(boot)));
  const appHostPerByte = (touched(c) - (baseTouched + perRam * c.probe.ramBytes)) / c.probe.appMemoryBytes;
  const cluster = a.disk.clusterBytes ?? 65536;
  const bootWrite = a.disk.bytes - a.overlayInitialBytes;
  // C wrote one 1-byte file: one data cluster plus its metadata clusters, against A which wrote none.
  const metadataClusters = Math.max(0, Math.round((c.disk.bytes - a.disk.bytes) / cluster) - 1);

  const overrides: Record<string, Param> = {
    [`${hv}.vmmStartMs`]: param(round(vmmStartMs), 'ms', `${where}: exec of QEMU to SeaBIOS's first debug-port byte, mean of 3 guests`),
    [`${hv}.firmwareMs`]: param(round(firmwareMs), 'ms', `${where}: SeaBIOS first to last debug-port byte, mean of 3 guests`),
    [`${hv}.kernelMs.distro`]: param(round(kernelMs), 'ms', `${where}: firmware hand-over to /init's first marker (Debian cloud kernel, busybox initramfs), mean of 3 guests`),
    [`${hv}.initCpuMs.kernel`]: param(round(initMs), 'ms', `${where}: /init to app start (proc, dev, virtio modules, ext4 mount), mean of 3 guests, divided by guestCpuSlowdown`),
    [`${hv}.guestCpuSlowdown`]: param(round(slowdown, 3), 'ratio', `${where}: a 500 ms sleep in the guest took ${round(span(b, 'appMs', 'readyMs'))} ms on the host (a sleep is wall time even under TCG; CPU-bound work is slower)`),
    [`${hv}.guestKernelPerRamRatio`]: param(round(Math.max(0, perRam - 1 / 64), 4), 'ratio', `${where}: host RSS of the guest RAM block at 128 vs 512 MiB guests, less struct pages (1/64)`),
    [`${hv}.guestKernelBytes.distro`]: param(Math.round(baseTouched), 'bytes', `${where}: guest RAM block RSS of a 128 MiB idle guest less the per-RAM part`),
    [`${hv}.vmmOverheadBytes`]: param(Math.round(vmmOverhead), 'bytes', `${where}: QEMU RSS outside the guest RAM block at ready${accel.accelerator === 'tcg' ? ' (includes the TCG code cache)' : ''}, mean of 3 guests`),
    [`${hv}.linkedCloneCreateMs`]: param(round(mean(boots.map((boot) => boot.cloneMs))), 'ms', `${where}: qemu-img create -f qcow2 -b base -F raw, mean of 3`),
    [`${hv}.overlayInitialBytes`]: param(a.overlayInitialBytes, 'bytes', `${where}: allocated size of a fresh overlay`),
    [`${hv}.clusterBytes`]: param(cluster, 'bytes', `${where}: qemu-img info cluster-size`),
    [`${hv}.bootWriteBytes.kernel`]: param(bootWrite, 'bytes', `${where}: overlay growth of a guest that mounts its ext4 disk and writes nothing`),
    [`${hv}.metadataClustersPerFile`]: param(metadataClusters, 'count', `${where}: overlay clusters of a 1-byte file beyond its data cluster`),
    [`${hv}.bootReadBytes.kernel`]: param(
      files.kernelBytes + files.initramfsBytes + (files.baseCachedBytes ?? 0),
      'bytes',
      `${where}: kernel ${files.kernelBytes} B + initramfs ${files.initramfsBytes} B + base image blocks cached after the boots ${files.baseCachedBytes ?? 'n/a'} B`,
    ),
  };
  return {
    overrides,
    host: {
      qemuVersion: engine.version,
      qemuAccelerator: accel.accelerator,
      qemuAcceleratorReason: accel.reason,
      qemuGuestKernel: engine.kernelVersion,
      qemuBootToReadyMs: round(mean(boots.map((boot) => boot.timeline.readyMs ?? 0))),
      qemuAppMemoryHostBytesPerByte: round(appHostPerByte, 3),
      qemuRssIdle128MiBGuestBytes: rss(a),
      qemuRssIdle512MiBGuestBytes: rss(b),
    },
  };
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
