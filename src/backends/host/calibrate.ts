// Process costs on this host for `isobench calibrate`: spawn of the same busybox app the host
// backend runs, to its first line, and the memory of such an idle app.

import { spawn } from 'node:child_process';
import { throwIfAborted } from '../shared/abort.js';
import { appScript } from '../shared/app-script.js';
import { CalibrationWriter } from '../shared/calibration.js';
import { MarkerWatch } from '../shared/markers.js';
import { listProcesses, sumMemory } from '../shared/proc.js';
import { median } from '../shared/stats.js';
import type { CalibrateOptions, Calibration } from '../types.js';
import { HOST_BUSYBOX, probeHost } from './run.js';

export interface ProcessCalibration {
  /** spawn -> ready marker of an app with no memory and no startup (fork, exec, sh start); null: none got ready. */
  forkExecMs: number | null;
  /** PSS of such an idle app's process group (busybox sh + sleep); null: not measured. */
  idleProcessBytes: number | null;
  samples: number;
}

/** Starts `samples` idle apps one after another, timing each and measuring the last. */
export async function measureProcess(samples: number, signal: AbortSignal): Promise<ProcessCalibration> {
  const script = appScript({ memoryBytes: 0, startupMs: 0, files: [] }, { busybox: HOST_BUSYBOX, scratchDir: '/tmp', rootDir: '/tmp' });
  const times: number[] = [];
  const memories: number[] = [];
  for (let i = 0; i < samples + 1; i += 1) {
    throwIfAborted(signal);
    const t0 = performance.now();
    const child = spawn(HOST_BUSYBOX, ['sh', '-c', script], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const event = await new MarkerWatch(child.stdout!).ready;
      if (event.kind !== 'ready') continue;
      if (i > 0) times.push(event.at - t0); // the first start warms the page cache
      if (i === samples) {
        const processes = await listProcesses();
        const group = await sumMemory(processes.filter((p) => p.pgrp === child.pid).map((p) => p.pid));
        if (group.count > 0) memories.push(group.pssBytes);
      }
    } finally {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
    }
  }
  return { forkExecMs: median(times), idleProcessBytes: median(memories), samples };
}

/** The process parameters from what was measured; refuses what was not. Pure. */
export function processOverrides(measured: ProcessCalibration, source: (how: string) => string): Calibration {
  const out = new CalibrationWriter(source);
  out.set('process.forkExecMs', measured.forkExecMs, 'ms', `median spawn -> first line of busybox sh, ${measured.samples} starts`, 'no calibration process printed its ready line');
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
