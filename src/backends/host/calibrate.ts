// Process costs on this host for `isobench calibrate`: spawn of the same busybox app the host
// backend runs, to its first line, and the memory of such an idle app.

import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { evaluateScenario } from '../../model/evaluate.js';
import { fitBurst, burstScenario, type MeasuredBurst } from '../../model/fit-start-serial.js';
import { builtinCatalog, withOverrides } from '../../profiles/catalog.js';
import { throwIfAborted } from '../shared/abort.js';
import { appScript } from '../shared/app-script.js';
import { burstOf, CalibrationWriter } from '../shared/calibration.js';
import { cpuWindow, type CpuSpent, type MachineCpu } from '../shared/host-busy.js';
import { MarkerWatch } from '../shared/markers.js';
import { listProcesses, sumMemory } from '../shared/proc.js';
import { median } from '../shared/stats.js';
import type { CalibrateOptions, Calibration } from '../types.js';
import { HOST_BUSYBOX, killGroup, probeHost } from './run.js';
import { COMMON } from '../../profiles/process.js';

export interface ProcessCalibration {
  /** spawn -> ready marker of an app with no memory and no startup (fork, exec, sh start); null: none got ready. */
  forkExecMs: number | null;
  /** PSS of such an idle app's process group (busybox sh + sleep); null: not measured. */
  idleProcessBytes: number | null;
  /** spawn -> ready marker of the same app holding HOLD_BYTES (the script's subshell, dd, head, wc); null: none got ready. */
  holdReadyMs?: number | null;
  /** spawn -> ready marker of the same app holding FILL_BYTES; null: none got ready. */
  fillReadyMs?: number | null;
  /**
   * Mean CPU per lone start, spawn -> ready line: the launching parent's (this process) and the
   * child's processes' (the machine's less the parent's), for the idle app and the one holding
   * HOLD_BYTES; where the machine's CPU time was read. Null: not readable.
   */
  cpu?: { parentMs: number; childMs: number; holdChildMs: number; source: MachineCpu['source'] } | null;
  /** BURST_INSTANCES idle apps launched at once (one per event-loop turn, as the host backend does): mean first/p50/all ready. */
  burst?: MeasuredBurst | null;
  samples: number;
}

/** What the app script holds to time its own processes: small enough that the fill is a fraction of it. */
export const HOLD_BYTES = 1024 ** 2;
/** What it holds to time the memory fill: large enough that the fill dominates. */
export const FILL_BYTES = 64 * 1024 ** 2;

/** Starts `samples` idle apps one after another, timing each and measuring the last; then as many holding HOLD_BYTES. */
export async function measureProcess(samples: number, signal: AbortSignal): Promise<ProcessCalibration> {
  const idle = await startApps(0, samples, signal, true);
  const holding = await startApps(HOLD_BYTES, samples, signal, false);
  const filling = await startApps(FILL_BYTES, samples, signal, false);
  const burst = await measureBurst(signal);
  const cpu = idle.cpu === null || holding.cpu === null ? null : { parentMs: idle.cpu.parentMs, childMs: idle.cpu.childMs, holdChildMs: holding.cpu.childMs, source: idle.cpu.source };
  return { forkExecMs: median(idle.times), idleProcessBytes: median(idle.memories), holdReadyMs: median(holding.times), fillReadyMs: median(filling.times), cpu, burst, samples };
}

const BURST_INSTANCES = 8;
const BURST_BATCHES = 3;

/** Bursts of idle apps launched as the host backend launches a wave; the mean of each batch's first, p50, all ready. */
async function measureBurst(signal: AbortSignal): Promise<MeasuredBurst | null> {
  const script = appScript({ memoryBytes: 0, startupMs: 0, files: [] }, { busybox: HOST_BUSYBOX, scratchDir: '/tmp', rootDir: '/tmp' });
  const batches: number[][] = [];
  for (let b = 0; b < BURST_BATCHES; b += 1) {
    throwIfAborted(signal);
    const children: ChildProcess[] = [];
    const readies: Promise<number | null>[] = [];
    const t0 = performance.now();
    try {
      for (let i = 0; i < BURST_INSTANCES; i += 1) {
        const child = spawn(HOST_BUSYBOX, ['sh', '-c', script], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
        children.push(child);
        readies.push(new MarkerWatch(child.stdout!).ready.then((event) => (event.kind === 'ready' ? event.at - t0 : null)));
        await new Promise((resolve) => setImmediate(resolve));
      }
      batches.push((await Promise.all(readies)).filter((at): at is number => at !== null));
    } finally {
      for (const child of children) killGroup(child);
    }
  }
  return burstOf(BURST_INSTANCES, batches);
}

/** What `samples` lone starts of one app measured: spawn -> ready times, the last one's memory, and their CPU. */
interface LoneStarts {
  times: number[];
  memories: number[];
  /** Mean CPU per start (spawn -> ready) of this process (the launching parent) and of everything else; null: not readable. */
  cpu: { parentMs: number; childMs: number; source: MachineCpu['source'] } | null;
}

async function startApps(memoryBytes: number, samples: number, signal: AbortSignal, measureLast: boolean): Promise<LoneStarts> {
  const script = appScript({ memoryBytes, startupMs: 0, files: [] }, { busybox: HOST_BUSYBOX, scratchDir: '/tmp', rootDir: '/tmp' });
  const times: number[] = [];
  const memories: number[] = [];
  const spent: CpuSpent[] = [];
  for (let i = 0; i < samples + 1; i += 1) {
    throwIfAborted(signal);
    const window = await cpuWindow();
    const t0 = performance.now();
    const child = spawn(HOST_BUSYBOX, ['sh', '-c', script], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      const event = await new MarkerWatch(child.stdout!).ready;
      const cpu = await window.end();
      if (event.kind !== 'ready') continue;
      // The first start warms the page cache.
      if (i > 0) {
        times.push(event.at - t0);
        if (cpu !== null) spent.push(cpu);
      }
      if (measureLast && i === samples) {
        const processes = await listProcesses();
        const group = await sumMemory(processes.filter((p) => p.pgrp === child.pid).map((p) => p.pid));
        if (group.count > 0) memories.push(group.pssBytes);
      }
    } finally {
      if (child.pid !== undefined) {
        killGroup(child);
        // Its exit is not part of the next start's CPU.
        await exited;
      }
    }
  }
  // Summed before the parent's share is taken out (/proc/stat counts in 10 ms steps).
  const parentMs = spent.reduce((sum, c) => sum + c.parentMs, 0);
  const machineMs = spent.reduce((sum, c) => sum + c.machineMs, 0);
  const n = spent.length;
  const cpu = n === 0 ? null : { parentMs: parentMs / n, childMs: Math.max(0, (machineMs - parentMs) / n), source: spent[n - 1]!.source };
  return { times, memories, cpu };
}

/** The process parameters from what was measured; refuses what was not. Pure. */
export function processOverrides(measured: ProcessCalibration, source: (how: string) => string, cpus = availableParallelism()): Calibration {
  const out = new CalibrationWriter(source);
  out.set('process.forkExecMs', measured.forkExecMs, 'ms', `median spawn -> first line of busybox sh, ${measured.samples} starts`, 'no calibration process printed its ready line');
  // Two apps that differ only in what they hold: the difference is the fill of FILL_BYTES - HOLD_BYTES.
  const fillRate =
    measured.fillReadyMs == null || measured.holdReadyMs == null || measured.fillReadyMs <= measured.holdReadyMs
      ? null
      : (FILL_BYTES - HOLD_BYTES) / ((measured.fillReadyMs - measured.holdReadyMs) / 1000);
  const rate = fillRate ?? COMMON.memoryFillBytesPerSec.value;
  out.set(
    'common.memoryFillBytesPerSec',
    fillRate,
    'bytes/s',
    `63 MiB more held: median spawn -> ready holding 64 MiB (${round2(measured.fillReadyMs)} ms) less holding 1 MiB (${round2(measured.holdReadyMs)} ms); ${measured.samples} starts`,
    'no calibration process holding 64 MiB printed its ready line (or it was not slower than holding 1 MiB)',
  );
  const fillMs = (HOLD_BYTES / rate) * 1000;
  const holdMs = measured.holdReadyMs == null || measured.forkExecMs === null ? null : measured.holdReadyMs - measured.forkExecMs - fillMs;
  out.set(
    'common.appScriptHoldMs',
    holdMs,
    'ms',
    `median spawn -> ready of the app script holding 1 MiB (${round2(measured.holdReadyMs)} ms), less the same with no memory, less the 1 MiB fill (${round2(fillMs)} ms); ${measured.samples} starts`,
    'no calibration process holding memory printed its ready line',
  );
  const cpu = measured.cpu ?? null;
  const lone = measured.forkExecMs;
  const burst = measured.burst ?? null;
  const said = burst === null ? '' : `${burst.instances} launched at once: first ${round2(burst.firstMs)}, p50 ${round2(burst.p50Ms)}, all ${round2(burst.allMs)} ms`;
  const scenario = burst === null ? null : burstScenario('docker-runc', burst.instances, cpus);
  if (cpu != null && lone !== null) {
    // Measured, not fitted: the parent is one thread, so its CPU per spawn is served one child at a
    // time; the child's processes (a shell pipeline runs several) use their own CPU.
    const parentMs = round2(Math.min(cpu.parentMs, lone));
    out.set(
      'process.childStartCpuMs',
      round2(cpu.childMs),
      'ms',
      `the CPU of the child's processes per lone start, spawn -> first line: the machine's less the parent's (${cpuNote(cpu, measured.samples)}); over ${round2(lone - parentMs)} ms of wall time`,
    );
    if (holdMs !== null) {
      out.set(
        'common.appScriptHoldCpuMs',
        round2(Math.max(holdMs, cpu.holdChildMs - cpu.childMs - fillMs)),
        'ms',
        `the CPU of the child's processes per lone start holding 1 MiB (${round2(cpu.holdChildMs)} ms), less the same with no memory (${round2(cpu.childMs)} ms), less the fill (${round2(fillMs)} ms): ${cpuNote(cpu, measured.samples)}`,
      );
    }
    let check = '';
    if (scenario !== null && burst !== null) {
      const overrides = { ...out.overrides, 'process.spawnSerialMs': { value: parentMs, unit: 'ms' as const, source: 'check' } };
      const m = evaluateScenario(scenario, withOverrides(builtinCatalog(), overrides, 'check')).find((r) => r.platform === 'process')?.metrics;
      check = `; checked on ${said}, modeled ${round2(m?.startupFirstMs)}, ${round2(m?.startupP50Ms)}, ${round2(m?.startupAllMs)} ms`;
    }
    out.set('process.spawnSerialMs', parentMs, 'ms', `the launching parent's own CPU per lone start, spawn -> the child's first line (${cpuNote(cpu, measured.samples)})${check}`);
  } else if (lone !== null && scenario !== null && burst !== null) {
    const fit = fitBurst({
      scenario,
      platform: 'process',
      burst,
      catalog: withOverrides(builtinCatalog(), { ...out.overrides }, 'fit'),
      candidates: Array.from({ length: Math.floor(lone * 10) + 1 }, (_, i) => i / 10),
      overridesFor: (serial) => ({ 'process.spawnSerialMs': { value: serial, unit: 'ms', source: 'fit' } }),
    });
    out.set(
      'process.spawnSerialMs',
      fit.value,
      'ms',
      `fitted (the machine's CPU time was not readable): the part of the lone fork/exec (${round2(lone)} ms) the parent serialises that best reproduces ${said} (modeled ${round2(fit.modeled.firstMs)}, ${round2(fit.modeled.p50Ms)}, ${round2(fit.modeled.allMs)} ms)`,
    );
  } else {
    out.set('process.spawnSerialMs', null, 'ms', '', "neither the machine's CPU time nor a complete burst of calibration processes was measured; the built-in split stays");
  }
  out.set(
    'process.perProcessKernelBytes',
    measured.idleProcessBytes,
    'bytes',
    'PSS of an idle app process group (busybox sh + sleep, no app memory)',
    'the idle process group was gone before it was measured',
  );
  return out.result();
}

/** RealBackend.calibrate for the host backend. */
export async function calibrateHost(options: CalibrateOptions): Promise<Calibration> {
  await probeHost();
  options.progress('calibrate: process fork/exec');
  const measured = await measureProcess(options.samples, options.signal);
  return processOverrides(measured, (how) => `calibrated on ${options.origin.host} ${options.origin.date}: ${how}`);
}

function cpuNote(cpu: NonNullable<ProcessCalibration['cpu']>, samples: number): string {
  const from = { cpuacct: 'the root cpuacct cgroup, ns', cgroup2: "the root cgroup's cpu.stat, µs", 'proc-stat': '/proc/stat, 10 ms steps' }[cpu.source];
  return `means of ${samples} starts; the machine's CPU from ${from}`;
}

function round2(ms: number | null | undefined): number {
  return ms == null ? Number.NaN : Math.round(ms * 100) / 100;
}
