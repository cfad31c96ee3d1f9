// `isobench calibrate` for QEMU: boots a few guests on this host and turns what they cost into
// overrides of the hypervisor profile that matches the accelerator ('qemu-kvm' or 'qemu-tcg'). A
// parameter whose inputs were not measured (no firmware log, no smaps) is refused, not written as 0.

import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { EngineError, InterruptedError } from '../../errors.js';
import type { FileWrite } from '../../scenario/types.js';
import { HYPERVISORS } from '../../profiles/hypervisors.js';
import { CalibrationWriter } from '../shared/calibration.js';
import { CleanupStack } from '../shared/cleanup.js';
import { makeRunTempDir } from '../shared/temp.js';
import type { Calibration } from '../types.js';
import { chooseAccelerator, type AcceleratorChoice } from './accelerator.js';
import { cloneDisk, makeBaseImage, measureDisk, pageCacheBytes, type BaseImage, type DiskUsage } from './disk.js';
import { findQemuEngine, type QemuEngine } from './engine.js';
import { runGuest, type GuestMemory, type GuestTimeline } from './guest.js';
import { buildInitramfs } from './initramfs.js';

const MiB = 1024 ** 2;

/** What calibrateQemu returns: model overrides by dotted path, raw host facts, and what it refused. */
export type QemuCalibration = Calibration;

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
export async function calibrateQemu(options: { signal?: AbortSignal; progress?: (line: string) => void; runId?: string } = {}): Promise<QemuCalibration> {
  const signal = options.signal ?? new AbortController().signal;
  const say = options.progress ?? (() => {});
  const engine = await findQemuEngine();
  const accel = await chooseAccelerator(engine, signal);
  const cleanup = new CleanupStack();
  try {
    const workDir = await makeRunTempDir('qemu', options.runId ?? 'calibrate');
    cleanup.defer(`remove ${workDir}`, () => rm(workDir, { recursive: true, force: true }));
    const base = await makeBaseImage(
      engine,
      workDir,
      64 * MiB,
      PROBES.flatMap((p) => p.files),
    );
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
  const out = new CalibrationWriter((how) => `${where}: ${how}`);
  /** to - from of one boot's timeline; null when either boundary was not seen. */
  const span = (boot: Boot, from: keyof GuestTimeline, to: keyof GuestTimeline): number | null => {
    const x = boot.timeline[from];
    const y = boot.timeline[to];
    return x === null || y === null ? null : y - x;
  };
  const meanOf = (values: (number | null)[]): number | null => (values.some((v) => v === null) ? null : (values as number[]).reduce((s, v) => s + v, 0) / values.length);
  const touched = (boot: Boot): number | null => boot.memory.guestRamTouchedBytes;
  const rss = (boot: Boot): number | null => boot.memory.qemu?.rssBytes ?? null;
  const minus = (x: number | null, y: number | null): number | null => (x === null || y === null ? null : x - y);
  const noFirmware = 'no firmware debug-port log (mkfifo failed): firmware and QEMU start were not told apart';
  const noSmaps = 'the guest RAM block was not found in /proc/PID/smaps';

  const vmmStartMs = meanOf(boots.map((boot) => boot.timeline.firmwareStartMs));
  const firmwareMs = meanOf(boots.map((boot) => span(boot, 'firmwareStartMs', 'firmwareEndMs')));
  const kernelMs = meanOf(boots.map((boot) => span(boot, 'firmwareEndMs', 'initMs')));
  // Init runs guest code: the model multiplies its CPU time by the profile's guest slowdown, so the
  // measured span is divided by it. The slowdown itself is not calibrated here: the probe guest's
  // app phase is a sleep, which runs at wall-clock speed even under TCG, so it cannot measure it
  // (the built-in figure comes from CPU-bound work: the kernel's boot under TCG vs KVM).
  const slowdown = HYPERVISORS[`qemu-${accel.accelerator}`]?.guestCpuSlowdown.value ?? 1;
  const initSpan = meanOf(boots.map((boot) => span(boot, 'initMs', 'appMs')));
  const initMs = initSpan === null ? null : initSpan / slowdown;
  const dTouched = minus(touched(b), touched(a));
  const perRam = dTouched === null ? null : dTouched / (b.probe.ramBytes - a.probe.ramBytes);
  const baseTouched = perRam === null || touched(a) === null ? null : touched(a)! - perRam * a.probe.ramBytes;
  const vmmOverhead = meanOf(boots.map((boot) => minus(rss(boot), touched(boot))));
  const cTouched = touched(c);
  const appHostPerByte = cTouched === null || baseTouched === null || perRam === null ? null : (cTouched - (baseTouched + perRam * c.probe.ramBytes)) / c.probe.appMemoryBytes;
  const cluster = a.disk.clusterBytes;
  const bootWrite = a.disk.bytes - a.overlayInitialBytes;
  // C wrote one 1-byte file: one data cluster plus its metadata clusters, against A which wrote none.
  const metadataClusters = cluster === null ? null : Math.max(0, Math.round((c.disk.bytes - a.disk.bytes) / cluster) - 1);

  out.set(`${hv}.vmmStartMs`, vmmStartMs, 'ms', "exec of QEMU to SeaBIOS's first debug-port byte, mean of 3 guests", noFirmware);
  out.set(`${hv}.firmwareMs`, firmwareMs, 'ms', 'SeaBIOS first to last debug-port byte, mean of 3 guests', noFirmware);
  out.set(`${hv}.kernelMs.distro`, kernelMs, 'ms', "firmware hand-over to /init's first marker (Debian cloud kernel, busybox initramfs), mean of 3 guests", noFirmware);
  out.set(
    `${hv}.initCpuMs.kernel`,
    initMs,
    'ms',
    `/init to app start (proc, dev, virtio modules, ext4 mount), mean of 3 guests, divided by the profile's guest slowdown x${slowdown}`,
    'a guest printed no init or app marker',
  );
  out.set(
    `${hv}.guestCpuSlowdown`,
    null,
    'ratio',
    '',
    "the probe guests' app phase is a sleep, which runs at wall-clock speed even under TCG: it cannot measure CPU slowdown (the built-in figure comes from CPU-bound kernel boot)",
  );
  // The guest's RAM block grows by its struct pages (1/64 of guest RAM, 64 B per 4 KiB page) and
  // by other per-RAM kernel memory: the model counts the two apart.
  out.set(
    `${hv}.guestKernelPerRamRatio`,
    perRam === null ? null : Math.max(0, perRam - 1 / 64),
    'ratio',
    'host RSS of the guest RAM block at 128 vs 512 MiB guests, less struct pages (1/64)',
    noSmaps,
  );
  out.set(`${hv}.guestKernelBytes.distro`, baseTouched, 'bytes', 'guest RAM block RSS of a 128 MiB idle guest less the per-RAM part', noSmaps);
  out.set(
    `${hv}.vmmOverheadBytes`,
    vmmOverhead,
    'bytes',
    `QEMU RSS outside the guest RAM block at ready${accel.accelerator === 'tcg' ? ' (includes the TCG code cache)' : ''}, mean of 3 guests`,
    noSmaps,
  );
  out.set(`${hv}.linkedCloneCreateMs`, meanOf(boots.map((boot) => boot.cloneMs)), 'ms', 'qemu-img create -f qcow2 -b base -F raw, mean of 3');
  out.set(`${hv}.overlayInitialBytes`, a.overlayInitialBytes, 'bytes', 'allocated size of a fresh overlay');
  out.set(`${hv}.clusterBytes`, cluster, 'bytes', 'qemu-img info cluster-size', 'qemu-img info reported no cluster size');
  out.set(`${hv}.bootWriteBytes.kernel`, bootWrite, 'bytes', 'overlay growth of a guest that mounts its ext4 disk and writes nothing');
  out.set(`${hv}.metadataClustersPerFile`, metadataClusters, 'count', 'overlay clusters of a 1-byte file beyond its data cluster', 'qemu-img info reported no cluster size');
  out.set(
    `${hv}.bootReadBytes.kernel`,
    files.baseCachedBytes === null ? null : files.kernelBytes + files.initramfsBytes + files.baseCachedBytes,
    'bytes',
    `kernel ${files.kernelBytes} B + initramfs ${files.initramfsBytes} B + base image blocks cached after the boots ${files.baseCachedBytes} B`,
    'fincore is missing (util-linux): the cached base image blocks were not measured',
  );
  const readyMs = meanOf(boots.map((boot) => boot.timeline.readyMs));
  return out.result({
    qemuVersion: engine.version,
    qemuAccelerator: accel.accelerator,
    qemuAcceleratorReason: accel.reason,
    qemuGuestKernel: engine.kernelVersion,
    qemuBootToReadyMs: readyMs === null ? null : round(readyMs),
    qemuAppMemoryHostBytesPerByte: appHostPerByte === null ? null : round(appHostPerByte, 3),
    qemuRssIdle128MiBGuestBytes: rss(a),
    qemuRssIdle512MiBGuestBytes: rss(b),
  });
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
