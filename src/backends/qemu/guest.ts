// Boots one QEMU guest and watches it: times each boot step from the serial console and the
// firmware's debug port, measures the QEMU process once the guest is ready, and kills it at its
// timeout, on abort, or through the cleanup stack if the run dies first.

import { execFile, spawn } from 'node:child_process';
import { constants, openSync } from 'node:fs';
import { Socket } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { performance } from 'node:perf_hooks';
import type { Accelerator } from '../../report/types.js';
import type { CleanupStack } from '../shared/cleanup.js';
import type { QemuEngine } from './engine.js';
import { MARKERS } from './init-script.js';
import { SerialParser } from './markers.js';
import { readMappingRss, readProcessMemory, type ProcessMemory } from './proc-memory.js';

/** How to start one guest. */
export interface GuestLaunch {
  engine: QemuEngine;
  accelerator: Accelerator;
  label: string;
  memoryBytes: number;
  vcpus: number;
  initramfs: string;
  /** A folder of this run where the firmware log FIFO is made (removed with the folder). */
  workDir: string;
  disk?: { file: string; format: 'qcow2' | 'raw' };
  /** From exec to the ready marker. */
  readyTimeoutMs: number;
  /** From the host's answer at ready to QEMU's exit (the writes and power-off). */
  finishTimeoutMs: number;
  signal: AbortSignal;
  cleanup: CleanupStack;
  /** Called once when the guest signals ready (after it was measured), before it does its writes. */
  onReady?: () => void;
}

/** Times (ms) from the exec of QEMU; null where that boundary was not seen. */
export interface GuestTimeline {
  /** First byte SeaBIOS wrote on its debug port: QEMU has set up and runs the firmware. */
  firmwareStartMs: number | null;
  /** Last byte on the debug port before the kernel: firmware hands over. */
  firmwareEndMs: number | null;
  /** /init printed its first marker: the kernel is done. */
  initMs: number | null;
  /** Environment up, the app starts. */
  appMs: number | null;
  readyMs: number | null;
  /** Writes done and synced. */
  writtenMs: number | null;
  exitMs: number | null;
}

/** What the guest looked like at ready. */
export interface GuestMemory {
  qemu: ProcessMemory | null;
  /** Configured guest RAM (what -m was given). */
  guestRamBytes: number;
  /** Host RSS of the guest RAM block: the guest pages the host really backs. */
  guestRamTouchedBytes: number | null;
  /** Guest's /proc/meminfo at ready. */
  guestTotalBytes: number | null;
  guestFreeBytes: number | null;
}

/** How a guest ended. */
export type GuestOutcome =
  | { state: 'completed'; timeline: GuestTimeline; memory: GuestMemory }
  | { state: 'timeout'; phase: 'ready' | 'finish'; afterMs: number; timeline: GuestTimeline; console: string }
  | { state: 'failed'; reason: string; timeline: GuestTimeline; console: string }
  | { state: 'aborted'; timeline: GuestTimeline };

/** The QEMU command line for a launch (without the pdeathsig wrapper). */
export function qemuArgs(launch: Pick<GuestLaunch, 'accelerator' | 'memoryBytes' | 'vcpus' | 'initramfs' | 'disk'> & { kernel: string; firmwareLog?: string }): string[] {
  const memoryMiB = guestRamMiB(launch.memoryBytes);
  return [
    '-accel',
    launch.accelerator,
    '-machine',
    'pc',
    '-m',
    String(memoryMiB),
    '-smp',
    String(Math.max(1, launch.vcpus)),
    '-nodefaults',
    '-no-user-config',
    '-display',
    'none',
    '-no-reboot',
    '-nic',
    'none',
    '-serial',
    'stdio',
    // SeaBIOS logs to I/O port 0x402: its first and last byte bound the firmware.
    ...(launch.firmwareLog ? ['-chardev', `pipe,id=fw,path=${launch.firmwareLog}`, '-device', 'isa-debugcon,iobase=0x402,chardev=fw'] : []),
    '-kernel',
    launch.kernel,
    '-initrd',
    launch.initramfs,
    '-append',
    'console=ttyS0 quiet loglevel=0 panic=-1',
    ...(launch.disk ? ['-drive', `file=${launch.disk.file},if=virtio,format=${launch.disk.format}`] : []),
  ];
}

/** Boots a guest and resolves once it has exited or been killed; never rejects for guest failures. */
export async function runGuest(launch: GuestLaunch): Promise<GuestOutcome> {
  const timeline: GuestTimeline = {
    firmwareStartMs: null,
    firmwareEndMs: null,
    initMs: null,
    appMs: null,
    readyMs: null,
    writtenMs: null,
    exitMs: null,
  };
  if (launch.signal.aborted) return { state: 'aborted', timeline };
  const firmwareLog = await openFirmwareLog(path.join(launch.workDir, `${launch.label}.firmware`));
  const args = qemuArgs({ ...launch, kernel: launch.engine.kernel, ...(firmwareLog ? { firmwareLog: firmwareLog.path } : {}) });
  const t0 = performance.now();
  // setpriv --pdeathsig: QEMU dies with this process even if it is killed without cleanup.
  const child = spawn('setpriv', ['--pdeathsig', 'KILL', '--', launch.engine.qemu, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    // 'close' comes after the last output byte has been read, 'exit' may come before.
    child.once('close', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: null, signal: null }));
  });
  const kill = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  const undo = launch.cleanup.defer(`kill QEMU ${launch.label} (pid ${child.pid ?? '?'})`, kill);
  const now = (): number => performance.now() - t0;
  const serial = new SerialParser();
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-2000);
  });
  firmwareLog?.stream.on('data', () => {
    const at = now();
    if (timeline.initMs !== null) return;
    timeline.firmwareStartMs ??= at;
    timeline.firmwareEndMs = at;
  });
  const guestRamBytes = guestRamMiB(launch.memoryBytes) * 1024 ** 2;
  let memory: GuestMemory = { qemu: null, guestRamBytes, guestRamTouchedBytes: null, guestTotalBytes: null, guestFreeBytes: null };
  let guestError: string | null = null;
  type Stop = { kind: 'exit' } | { kind: 'timeout'; phase: 'ready' | 'finish'; afterMs: number } | { kind: 'abort' };
  // The first of exit, timeout and abort decides; later ones are ignored.
  let stopWith: (stop: Stop) => void = () => {};
  const stopped = new Promise<Stop>((resolve) => {
    stopWith = resolve;
  });
  let timer = setTimeout(() => stopWith({ kind: 'timeout', phase: 'ready', afterMs: launch.readyTimeoutMs }), launch.readyTimeoutMs);
  const readySeen = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => stopWith({ kind: 'timeout', phase: 'finish', afterMs: launch.finishTimeoutMs }), launch.finishTimeoutMs);
  };
  void exited.then(() => stopWith({ kind: 'exit' }));
  const onAbort = (): void => stopWith({ kind: 'abort' });
  launch.signal.addEventListener('abort', onAbort, { once: true });
  child.stdin?.on('error', () => {});
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    for (const event of serial.push(chunk, now())) {
      switch (event.code) {
        case MARKERS.init:
          timeline.initMs ??= event.atMs;
          break;
        case MARKERS.app:
          timeline.appMs ??= event.atMs;
          break;
        case MARKERS.ready: {
          if (timeline.readyMs !== null) break;
          timeline.readyMs = event.atMs;
          readySeen();
          const [total, free] = event.args.map(Number);
          void Promise.all([readProcessMemory(child.pid ?? -1), readMappingRss(child.pid ?? -1, guestRamBytes)]).then(([qemu, touched]) => {
            memory = {
              qemu,
              guestRamBytes,
              guestRamTouchedBytes: touched,
              guestTotalBytes: Number.isFinite(total) ? (total ?? 0) * 1024 : null,
              guestFreeBytes: Number.isFinite(free) ? (free ?? 0) * 1024 : null,
            };
            launch.onReady?.();
            child.stdin?.write('go\n');
          });
          break;
        }
        case MARKERS.written:
          timeline.writtenMs ??= event.atMs;
          break;
        case MARKERS.error:
          guestError ??= event.args.join(' ');
          break;
      }
    }
  });

  const stop = await stopped;
  clearTimeout(timer);
  launch.signal.removeEventListener('abort', onAbort);
  if (stop.kind !== 'exit') await kill();
  const exit = await exited;
  timeline.exitMs = now();
  firmwareLog?.stream.destroy();
  await undo();
  const consoleText = [serial.tail, stderr.trim()].filter((part) => part !== '').join('\n');
  if (stop.kind === 'abort') return { state: 'aborted', timeline };
  if (stop.kind === 'timeout') return { state: 'timeout', phase: stop.phase, afterMs: stop.afterMs, timeline, console: consoleText };
  if (guestError !== null) return { state: 'failed', reason: `the guest reported an error: ${guestError}`, timeline, console: consoleText };
  if (timeline.readyMs === null) {
    const how = exit.code === null ? `was killed by ${exit.signal ?? 'a signal'}` : `exited with code ${exit.code}`;
    const hint = exit.code === 0 ? ' (the guest rebooted: a kernel panic, e.g. init killed when the guest ran out of memory; the console is quiet at loglevel=0)' : '';
    return { state: 'failed', reason: `QEMU ${how} before the guest was ready${hint}`, timeline, console: consoleText };
  }
  if (timeline.writtenMs === null) return { state: 'failed', reason: 'the guest powered off before its writes were done', timeline, console: consoleText };
  return { state: 'completed', timeline, memory };
}

/**
 * A FIFO QEMU writes the firmware's debug port to, read through the event loop (a FIFO opened
 * read-write and non-blocking never blocks a thread, and never sees EOF before we close it).
 * Null when mkfifo fails: the firmware is then timed together with QEMU start.
 */
async function openFirmwareLog(file: string): Promise<{ path: string; stream: Socket } | null> {
  try {
    await promisify(execFile)('mkfifo', [file]);
    const fd = openSync(file, constants.O_RDWR | constants.O_NONBLOCK);
    const stream = new Socket({ fd, readable: true, writable: false });
    stream.on('error', () => {});
    return { path: file, stream };
  } catch {
    return null;
  }
}

/** Guest RAM in whole MiB as -m takes it (at least 32 MiB). */
export function guestRamMiB(memoryBytes: number): number {
  return Math.max(32, Math.ceil(memoryBytes / 1024 ** 2));
}
