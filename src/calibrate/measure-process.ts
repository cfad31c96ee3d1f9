// Process costs on this host: spawn of the same busybox app the host backend runs, to its first line.

import { spawn } from 'node:child_process';
import { throwIfAborted } from '../backends/host/abort.js';
import { appScript } from '../backends/host/app-script.js';
import { MarkerWatch } from '../backends/host/markers.js';
import { sumMemory, listProcesses } from '../backends/host/proc.js';
import { HOST_BUSYBOX } from '../backends/host/run.js';
import { median } from './measure-docker.js';

export interface ProcessCalibration {
  /** spawn -> ready marker of an app with no memory and no startup (fork, exec, sh start). */
  forkExecMs: number;
  /** PSS of such an idle app's process group (busybox sh + sleep). */
  idleProcessBytes: number;
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
      if (event.kind !== 'ready') throw new Error('calibration process exited before ready');
      if (i > 0) times.push(event.at - t0); // the first start warms the page cache
      if (i === samples) {
        const processes = await listProcesses();
        memories.push((await sumMemory(processes.filter((p) => p.pgrp === child.pid).map((p) => p.pid))).pssBytes);
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
